import ReleaseLedgerCore
import Transparency

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Ed25519 signing key, in the file Go's `note.NewSigner` reads (`PRIVATE+KEY+name+keyid+base64`).
/// It is read from `--key FILE` or `RELEASE_LEDGER_SIGNING_KEY_FILE`, must be readable by its owner
/// only, and never enters the ledger: only the verifier key and signatures do.
enum SigningKey {
    static let environmentVariable = "RELEASE_LEDGER_SIGNING_KEY_FILE"

    /// The key named by `--key` or the environment; nil when neither is set.
    static func load(option: String?, context: CommandContext) throws(LedgerError) -> NoteSigner? {
        let (path, field): (String, String)
        if let option {
            (path, field) = (option, "--key")
        } else if let fromEnvironment = context.environment[environmentVariable], !fromEnvironment.isEmpty {
            (path, field) = (fromEnvironment, environmentVariable)
        } else {
            return nil
        }
        let resolved = path.hasPrefix("/") ? path : context.currentDirectory + "/" + path
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalidInput(field: field, rule: "the key file \(path) does not exist or is not a regular file")
        }
        // A private key others can read is no longer private: refuse it, as ssh does.
        guard info.st_mode & 0o077 == 0 else {
            throw .invalidInput(
                field: field, rule: "the key file \(path) must be readable by its owner only (chmod 600)")
        }
        let bytes = try readFile(resolved, field: field, context: context, limit: 4096)
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        do {
            return try NoteSigner(signerKey: text)
        } catch {
            // The reason names the part that is wrong, never the key's bytes.
            throw .invalidInput(field: field, rule: "the key file \(path) is not a signing key: \(error.description)")
        }
    }

    static func require(option: String?, context: CommandContext) throws(LedgerError) -> NoteSigner {
        guard let signer = try load(option: option, context: context) else {
            throw .usage(
                "a signing key is needed: --key FILE or \(environmentVariable) (make one with `release-ledger key generate`)"
            )
        }
        return signer
    }

    /// Writes a new key file, created with mode 0600 and never over an existing file.
    static func write(_ signer: NoteSigner, to path: String, context: CommandContext) throws(LedgerError) {
        let resolved = path.hasPrefix("/") ? path : context.currentDirectory + "/" + path
        let descriptor = open(resolved, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason =
                errno == EEXIST ? "the file exists; a key is never overwritten" : "cannot create it (errno \(errno))"
            throw .storage("--out: \(path): \(reason)")
        }
        defer { close(descriptor) }
        // The mode is also set explicitly: the umask may have removed bits, never added them, but be sure.
        fchmod(descriptor, 0o600)
        let bytes = Array((signer.signerKey + "\n").utf8)
        let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw .storage("--out: \(path): the key could not be written")
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
