#if canImport(Glibc)
import Glibc
#endif

/// A child process with its standard output on a pipe, started with posix_spawn.
struct ChildProcess {
    let pid: pid_t
    private let output: Int32

    /// What a finished child printed, its exit status and the CPU time it used (user + system).
    struct Result {
        var output: String
        var status: Int32
        var cpuMilliseconds: Double
        var milliseconds: Double = 0
    }

    init(_ path: String, _ arguments: [String]) {
        var pipe: [Int32] = [0, 0]
        _ = pipe.withUnsafeMutableBufferPointer { Glibc.pipe($0.baseAddress!) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        argv.forEach { free($0) }
        posix_spawn_file_actions_destroy(&actions)
        close(pipe[1])
        guard rc == 0 else { Console.fail("cannot start \(path)") }
        self.pid = pid
        self.output = pipe[0]
    }

    /// Reads the child's output to the end and waits for it.
    func finish() -> Result {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(output)
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let user = Double(usage.ru_utime.tv_sec) * 1000 + Double(usage.ru_utime.tv_usec) / 1000
        let system = Double(usage.ru_stime.tv_sec) * 1000 + Double(usage.ru_stime.tv_usec) / 1000
        let text = String(decoding: bytes, as: UTF8.self)
        return Result(output: text, status: (status >> 8) & 0xFF, cpuMilliseconds: user + system)
    }

    /// Runs a program to the end: its output, exit status, CPU time and wall time.
    static func run(_ path: String, _ arguments: [String]) -> Result {
        let start = MonotonicClock.milliseconds()
        var result = ChildProcess(path, arguments).finish()
        result.milliseconds = MonotonicClock.milliseconds() - start
        return result
    }

    /// Peak resident memory of a command, in KiB, measured by GNU time. wait4's figure is no use
    /// here: a child spawned from this (large) process inherits its high-water mark at exec.
    static func peakMemoryKiB(_ path: String, _ arguments: [String], scratch: String) -> Int? {
        guard access("/usr/bin/time", X_OK) == 0 else { return nil }
        let report = "\(scratch)/time-\(getpid()).txt"
        _ = run("/usr/bin/time", ["-f", "%M", "-o", report, path] + arguments)
        guard let file = fopen(report, "r") else { return nil }
        defer {
            fclose(file)
            unlink(report)
        }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, 64, file) != nil else { return nil }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int(text.filter { $0 != " " && $0 != "\n" })
    }
}

/// The number after `name` in a child's "name value name value" output (0 when it is missing).
func field(_ name: String, in text: String) -> Double {
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard let index = parts.firstIndex(where: { $0 == name }), index + 1 < parts.count else { return 0 }
    return Double(parts[index + 1]) ?? 0
}
