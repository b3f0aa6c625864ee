import ReleaseLedgerServer

// The whole executable: `release-ledger serve ARGS` runs `release-ledger-server serve ARGS`.
await ServerMain.runMain()
