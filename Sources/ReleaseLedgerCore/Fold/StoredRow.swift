/// The columns of a stored event the fold reads, as bytes a storage backend lends for one call.
package struct StoredRow {
    package var position: Int64
    package var type: UnsafeBufferPointer<UInt8>
    package var sha: UnsafeBufferPointer<UInt8>
    package var data: UnsafeBufferPointer<UInt8>
    package var metadata: UnsafeBufferPointer<UInt8>
    package var recordedAt: UnsafeBufferPointer<UInt8>
    package var hash: UnsafeBufferPointer<UInt8>

    package init(
        position: Int64, type: UnsafeBufferPointer<UInt8>, sha: UnsafeBufferPointer<UInt8>,
        data: UnsafeBufferPointer<UInt8>,
        metadata: UnsafeBufferPointer<UInt8>, recordedAt: UnsafeBufferPointer<UInt8>, hash: UnsafeBufferPointer<UInt8>
    ) {
        self.position = position
        self.type = type
        self.sha = sha
        self.data = data
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.hash = hash
    }
}
