// W7's start-up floor: an empty Swift program. Built like release-ledger (static Swift runtime),
// it is what any Swift executable costs to start and exit on this machine.
