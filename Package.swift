// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ReleaseLedger",
    products: [
        .executable(name: "release-ledger", targets: ["release-ledger"]),
        .library(name: "ReleaseLedgerCore", targets: ["ReleaseLedgerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // The system libsqlite3 (Debian's libsqlite3-dev), seen through a module map.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Credential detection for any text; knows nothing of events.
        .target(name: "SecretScanning"),
        // The strict JSON parser (RFC 8259 with the I-JSON rules), JSON values and canonical form.
        .target(name: "LedgerJSON", dependencies: ["SecretScanning"]),
        // Pure domain: events, rules, fold, projections, hash chain. No I/O, no clock.
        .target(
            name: "ReleaseLedgerCore",
            dependencies: ["LedgerJSON", "SecretScanning", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The SQLite event store and its migrator; the schema is compiled into the binary.
        .target(
            name: "ReleaseLedgerSQLite",
            dependencies: ["CSQLite", "ReleaseLedgerCore"],
            resources: [
                .embedInCode("../../Schema/sqlite/v0001_events.sql"),
                .embedInCode("../../Projections/sqlite/v0001_read_model.sql"),
                .embedInCode("../../Projections/sqlite/v0002_candidate_snapshots.sql"),
                .embedInCode("../../Schema/sqlite/v0003_chain_v2.sql"),
                .embedInCode("../../Projections/sqlite/v0003_read_model.sql"),
                .embedInCode("../../Projections/sqlite/v0004_views.sql"),
            ]
        ),
        // The PostgreSQL event store (postgres-nio) and its migrator: a server-side engine, never
        // linked into the `release-ledger` executable (its start-up is the CI step's).
        .target(
            name: "ReleaseLedgerPostgres",
            dependencies: ["ReleaseLedgerCore", .product(name: "PostgresNIO", package: "postgres-nio")],
            resources: [
                .embedInCode("../../Schema/postgres/v0001_events.sql"),
                .embedInCode("../../Schema/postgres/v0001_read_model.sql"),
                .embedInCode("../../Schema/postgres/grants.sql"),
            ]
        ),
        // Argument parsing, environment, printing and exit codes.
        .target(
            name: "ReleaseLedgerCLI",
            dependencies: [
                "ReleaseLedgerCore",
                "ReleaseLedgerSQLite",
                "SecretScanning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `export` copies these into every bundle (the JSON Schemas are in EmbeddedSchemas.swift).
            resources: [
                .embedInCode("../../tools/export/verify.py"),
                .embedInCode("../../tools/export/VERIFY.md"),
            ]
        ),
        .executableTarget(name: "release-ledger", dependencies: ["ReleaseLedgerCLI"]),
        // The same command line with the PostgreSQL engine; `release-ledger` hands `--postgres` over to it.
        .executableTarget(name: "release-ledger-postgres", dependencies: ["ReleaseLedgerCLI", "ReleaseLedgerPostgres"]),
        // Appends in a loop from one OS process: the contention and crash tests run many of these.
        .executableTarget(name: "ledger-stress", dependencies: ["ReleaseLedgerSQLite"]),
        // tools/bench.sh: the ledger beside a C baseline (tools/bench/baseline.c), in one run.
        .executableTarget(name: "release-ledger-bench", dependencies: ["ReleaseLedgerSQLite"]),
        // tools/bench.sh --postgres URL: the PostgreSQL workloads (W11, W12), built only then.
        .executableTarget(name: "release-ledger-bench-postgres", dependencies: ["ReleaseLedgerPostgres", "ReleaseLedgerSQLite"]),
        // One conformance suite that every EventStore backend runs.
        .target(
            name: "EventStoreConformance",
            dependencies: ["ReleaseLedgerCore"],
            path: "Tests/EventStoreConformance"
        ),
        .testTarget(
            name: "ReleaseLedgerCoreTests",
            dependencies: ["ReleaseLedgerCore", "LedgerJSON", "SecretScanning", "EventStoreConformance"]
        ),
        .testTarget(name: "ReleaseLedgerSQLiteTests", dependencies: ["ReleaseLedgerSQLite", "EventStoreConformance", "CSQLite"]),
        .testTarget(
            name: "ReleaseLedgerPostgresTests",
            dependencies: ["ReleaseLedgerPostgres", "ReleaseLedgerSQLite", "ReleaseLedgerCLI", "EventStoreConformance"]
        ),
        .testTarget(name: "ReleaseLedgerCLITests", dependencies: ["ReleaseLedgerCLI", "ReleaseLedgerSQLite", "EventStoreConformance", "release-ledger", "ledger-stress"]),
    ]
)
