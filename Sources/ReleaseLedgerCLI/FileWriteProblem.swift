#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One short phrase for a failed file write ("disk full", "permission denied"), never Foundation's
/// multi-line error dump.
func fileWriteProblem(_ error: any Error) -> String {
    var code: Int32?
    if let cocoa = error as? CocoaError {
        if cocoa.code == .fileWriteOutOfSpace { return "disk full" }
        if cocoa.code == .fileWriteNoPermission { return "permission denied" }
        if cocoa.code == .fileWriteVolumeReadOnly { return "read-only file system" }
        code = (cocoa.userInfo["NSUnderlyingError"] as? POSIXError)?.code.rawValue
    } else if let posix = error as? POSIXError {
        code = posix.code.rawValue
    }
    guard let code else { return "the write failed" }
    if code == ENOSPC || code == EDQUOT { return "disk full" }
    return String(cString: strerror(code))
}
