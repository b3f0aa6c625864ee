// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ReleaseLedger",
    products: [
        .executable(name: "release-ledger", targets: ["release-ledger"]),
        .library(name: "ReleaseLedgerCore", targets: ["ReleaseLedgerCore"]),
        // `release-ledger serve` runs this binary (from the same folder), so NIO and Hummingbird stay
        // out of the CI step's process.
        .executable(name: "release-ledger-server", targets: ["release-ledger-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        // Server only. No default traits: Hummingbird's `FullFoundation` would link all of Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already in Hummingbird's tree; named for the HTTP parts the request deadline handler sees.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
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
        // Pure: RFC 6962 Merkle proofs, signed notes and checkpoints (Ed25519), DSSE. No I/O.
        .target(name: "Transparency", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The SQLite event store and its migrator; the schema is compiled into the binary.
        .target(
            name: "ReleaseLedgerSQLite",
            dependencies: ["CSQLite", "ReleaseLedgerCore", "Transparency"],
            resources: [
                .embedInCode("../../Schema/sqlite/v0001_events.sql"),
                .embedInCode("../../Projections/sqlite/v0001_read_model.sql"),
                .embedInCode("../../Projections/sqlite/v0002_candidate_snapshots.sql"),
                .embedInCode("../../Schema/sqlite/v0003_chain_v2.sql"),
                .embedInCode("../../Projections/sqlite/v0003_read_model.sql"),
                .embedInCode("../../Projections/sqlite/v0004_views.sql"),
                .embedInCode("../../Schema/sqlite/v0005_merkle_tree.sql"),
                .embedInCode("../../Schema/sqlite/v0006_merkle_blocks.sql"),
            ]
        ),
        // libcurl, loaded at run time only when a server URL is set: no link-time HTTP or TLS library.
        .target(name: "CLibcurl"),
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
                "CLibcurl",
                "Transparency",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `export` copies these into every bundle (the JSON Schemas are in EmbeddedSchemas.swift).
            resources: [
                .embedInCode("../../tools/export/verify.py"),
                .embedInCode("../../tools/export/VERIFY.md"),
            ]
        ),
        .executableTarget(name: "release-ledger", dependencies: ["ReleaseLedgerCLI"]),
        // The HTTP server over the same store, engine and rules: `release-ledger serve`.
        .target(
            name: "ReleaseLedgerServer",
            dependencies: [
                "ReleaseLedgerCore",
                "ReleaseLedgerSQLite",
                "ReleaseLedgerPostgres",
                // Reads answer what the command line prints; it brings no server dependency the other way.
                "ReleaseLedgerCLI",
                "SecretScanning",
                "ReleaseLedgerAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.embedInCode("../../Schema/openapi.json")]
        ),
        .executableTarget(name: "release-ledger-server", dependencies: ["ReleaseLedgerServer"]),
        // Who a server request comes from: static tokens, GitHub Actions OIDC, the scope policy.
        // Linked into the server only, never into `release-ledger` (jwt-kit and NIO cost start-up).
        .target(
            name: "ReleaseLedgerAuth",
            dependencies: [
                "ReleaseLedgerCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Appends in a loop from one OS process: the contention and crash tests run many of these.
        .executableTarget(name: "ledger-stress", dependencies: ["ReleaseLedgerSQLite"]),
        // tools/bench.sh: the ledger beside a C baseline (tools/bench/baseline.c), in one run.
        .executableTarget(
            name: "release-ledger-bench",
            dependencies: ["ReleaseLedgerSQLite", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // W7's floors: the CI step's one INSERT through the C API with no ledger work, and an empty program.
        .executableTarget(name: "bench-floor-append", dependencies: ["CSQLite"]),
        .executableTarget(name: "bench-floor-empty"),
        // The same command line with the PostgreSQL engine; `release-ledger` hands `--postgres` over to it.
        .executableTarget(
            name: "release-ledger-postgres", dependencies: ["ReleaseLedgerCLI", "ReleaseLedgerPostgres"]),
        // tools/bench.sh --postgres URL: the PostgreSQL workloads (W11, W12), built only then.
        .executableTarget(
            name: "release-ledger-bench-postgres", dependencies: ["ReleaseLedgerPostgres", "ReleaseLedgerSQLite"]),
        // One conformance suite that every EventStore backend runs.
        .target(
            name: "EventStoreConformance",
            dependencies: ["ReleaseLedgerCore"],
            path: "Tests/EventStoreConformance"
        ),
        // Mints GitHub-shaped OIDC tokens and writes JWKS files, for the auth and server tests.
        .target(
            name: "OIDCTestSupport",
            dependencies: [
                "ReleaseLedgerCore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/OIDCTestSupport"
        ),
        .testTarget(
            name: "ReleaseLedgerCoreTests",
            dependencies: ["ReleaseLedgerCore", "LedgerJSON", "SecretScanning", "EventStoreConformance"]
        ),
        // Reads the public vectors in place from ../shared/vectors.
        .testTarget(name: "TransparencyTests", dependencies: ["Transparency"]),
        .testTarget(
            name: "ReleaseLedgerSQLiteTests",
            dependencies: ["ReleaseLedgerSQLite", "EventStoreConformance", "CSQLite"]
        ),
        .testTarget(
            name: "ReleaseLedgerServerTests",
            dependencies: [
                "ReleaseLedgerCore", "ReleaseLedgerSQLite", "ReleaseLedgerPostgres", "Transparency",
                "EventStoreConformance", "release-ledger", "release-ledger-server",
            ]
        ),
        .testTarget(
            name: "ReleaseLedgerPostgresTests",
            dependencies: ["ReleaseLedgerPostgres", "ReleaseLedgerSQLite", "ReleaseLedgerCLI", "EventStoreConformance"]
        ),
        .testTarget(
            name: "ReleaseLedgerCLITests",
            dependencies: [
                "ReleaseLedgerCLI", "ReleaseLedgerSQLite", "EventStoreConformance", "release-ledger", "ledger-stress",
            ]),
        .testTarget(
            name: "ReleaseLedgerAuthTests",
            dependencies: ["ReleaseLedgerAuth", "OIDCTestSupport", "EventStoreConformance"]),
    ]
)
