import Crypto
import Foundation
import Testing
@testable import Transparency

/// C2SP/CCTV's 914 Ed25519 edge cases. A Go-compatible verifier (Go, ed25519-dalek's `verify`,
/// OpenSSL) "rejects non_canonical_R and low_order_residue and accepts everything else" (the
/// vectors' README); `Ed25519Rules` must do exactly that.
struct Ed25519VectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let number: Int
        let key: [UInt8], signature: [UInt8], message: [UInt8]
        let flags: [String]
        var testDescription: String { "#\(number) \(flags.joined(separator: ","))" }
        var goAccepts: Bool { !flags.contains("non_canonical_R") && !flags.contains("low_order_residue") }
    }

    static let cases: [Case] = {
        guard let list = try? Vectors.json("cctv-ed25519/ed25519vectors.json") as? [[String: Any]] else { return [] }
        return list.map {
            Case(
                number: $0["number"] as? Int ?? -1, key: Vectors.hex($0["key"] as? String ?? ""),
                signature: Vectors.hex($0["sig"] as? String ?? ""),
                message: Array(($0["msg"] as? String ?? "").utf8), flags: $0["flags"] as? [String] ?? [])
        }
    }()

    @Test func allVectorsAreRead() { #expect(Self.cases.count == 914) }

    @Test func acceptsExactlyWhatGoAccepts() {
        var differences: [String] = []
        for vector in Self.cases {
            let accepted = Ed25519Rules.verify(
                publicKey: vector.key, message: vector.message, signature: vector.signature)
            if accepted != vector.goAccepts { differences.append("\(vector.testDescription): accepted \(accepted)") }
        }
        #expect(differences.isEmpty, "\(differences.count) differ: \(differences.prefix(10))")
    }
}

/// DSSE's pre-authentication encoding, checked against the spec's vector: its ECDSA P-256
/// signature (made by the reference implementation) verifies over our PAE bytes.
struct DSSETests {
    @Test func paeMatchesTheSpec() throws {
        let spec = try Vectors.text("dsse/protocol.md")
        let pae = DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        #expect(spec.contains("DSSEv1 29 http://example.com/HelloWorld 11 hello world"))
    }

    @Test func specSignatureVerifiesOverOurPAE() throws {
        let x = decimalTo32Bytes("46950820868899156662930047687818585632848591499744589407958293238635476079160")
        let y = decimalTo32Bytes("5640078356564379163099075877009565129882514886557779369047442380624545832820")
        let key = try P256.Signing.PublicKey(rawRepresentation: x + y)
        let raw = try #require(
            Data(
                base64Encoded:
                    "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="))
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: raw)
        let pae = DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(key.isValidSignature(signature, for: pae))
        #expect(
            !key.isValidSignature(
                signature,
                for: DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world!".utf8))))
    }

    @Test func envelopeIsDeterministicAndVerifies() throws {
        let signer = try NoteSigner(name: "example.com/ledger", seed: [UInt8](repeating: 3, count: 32))
        let payload = Array("{\"a\":1}".utf8)
        let first = DSSE.envelope(payloadType: DSSE.inTotoPayloadType, payload: payload, signer: signer)
        #expect(first == DSSE.envelope(payloadType: DSSE.inTotoPayloadType, payload: payload, signer: signer))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let signatures = try #require(json["signatures"] as? [[String: Any]])
        let sig = Vectors.bytes(signatures.first?["sig"])
        #expect(signer.verifier.verify(DSSE.pae(payloadType: DSSE.inTotoPayloadType, payload: payload), signature: sig))
    }

    func decimalTo32Bytes(_ decimal: String) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        for digit in decimal.utf8 {
            var carry = Int(digit - 0x30)
            for index in stride(from: 31, through: 0, by: -1) {
                let value = Int(bytes[index]) * 10 + carry
                bytes[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
        }
        return bytes
    }
}

/// Proofs generated from ranges verify for every leaf and every pair of sizes of small trees.
struct MerkleProofGenerationTests {
    static func leaves(_ count: Int) -> [[UInt8]] { (0..<count).map { RFC6962.leafHash(Array("leaf \($0)".utf8)) } }

    /// RFC 6962 MTH computed the slow, obvious way.
    static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.isEmpty { return RFC6962.emptyRoot }
        if leaves.count == 1 { return leaves.first! }
        let k = Int(RFC6962.split(UInt64(leaves.count)))
        return RFC6962.nodeHash(mth(leaves.prefix(k)), mth(leaves.dropFirst(k)))
    }

    static func hash(_ range: LeafRange, _ leaves: [[UInt8]]) -> [UInt8] {
        let viaSubtrees = LeafRange.fold(
            range.completeSubtrees.map {
                mth(leaves[Int($0.index << UInt64($0.level))..<Int(($0.index + 1) << UInt64($0.level))])
            })
        return viaSubtrees
    }

    @Test func everyInclusionAndConsistencyProofUpTo40Leaves() throws {
        let all = Self.leaves(40)
        for size in 1...40 {
            let leaves = Array(all.prefix(size))
            let root = Self.mth(leaves[...])
            for index in 0..<size {
                let proof = MerkleProof.inclusionRanges(index: UInt64(index), size: UInt64(size)).map {
                    Self.hash($0, leaves)
                }
                try MerkleProof.verifyInclusion(
                    index: UInt64(index), size: UInt64(size), leafHash: leaves[index], proof: proof, root: root)
            }
            for size1 in 1...size {
                let proof = MerkleProof.consistencyRanges(from: UInt64(size1), to: UInt64(size)).map {
                    Self.hash($0, leaves)
                }
                try MerkleProof.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size), proof: proof, root1: Self.mth(leaves.prefix(size1)),
                    root2: root)
            }
        }
    }
}
