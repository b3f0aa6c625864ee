import ReleaseLedgerCore
import ReleaseLedgerPostgres
import Testing

/// URLs as libpq spells them; these need no database.
@Suite struct PostgresTargetTests {
    @Test func parsesTheUsualForms() throws {
        let full = try PostgresTarget(url: "postgres://ledger:s%40cret@db.internal:6543/releases?sslmode=require")
        #expect(
            full
                == PostgresTarget(
                    host: "db.internal", port: 6543, user: "ledger", password: "s@cret", database: "releases",
                    tls: .require))
        let socket = try PostgresTarget(url: "postgresql://postgres@/ledger?host=/tmp/pg&sslmode=disable")
        #expect(socket.socketFolder == "/tmp/pg")
        #expect(socket.tls == .disable)
        #expect(try PostgresTarget(url: "postgres://u@[::1]:5433/d").host == "::1")
    }

    @Test func neverShowsThePassword() throws {
        let target = try PostgresTarget(url: "postgres://ledger:hunter2@127.0.0.1/releases")
        #expect(!target.description.contains("hunter2"))
        #expect(target.description == "postgres://ledger@127.0.0.1:5432/releases")
    }

    @Test(arguments: [
        "mysql://u@h/d", "postgres://u@h", "postgres://u@h/", "postgres://@h/d", "postgres://u@h:99999/d",
        "postgres://u@h/d?sslmode=maybe",
        "postgres://u@h/d?colour=blue", "postgres://u@h/d?host=relative", "postgres://u:%zz@h/d",
    ])
    func refusesBrokenURLsNamingTheRule(_ url: String) {
        do {
            _ = try PostgresTarget(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            guard case .invalidInput(let field, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(field == "--postgres")
            #expect(error.exitCode == 65)
        }
    }
}
