import Crypto
import Foundation
import Testing
@testable import Transparency

/// Go's sumdb/note tests and the C2SP signed-note example: the same key ids, the same bytes.
struct NoteVectorTests {
    static let peterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let peterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterText =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSignature =
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test func vectorsComeFromTheSharedFiles() throws {
        let go = try Vectors.text("golang-sumdb/sumdb_note_note_test.go.txt")
        for needle in [
            Self.peterSigner, Self.peterVerifier,
            "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        ] {
            #expect(go.contains(needle))
        }
    }

    @Test func goSignerKeyGivesGoKeyIDAndVerifierKey() throws {
        let signer = try NoteSigner(signerKey: Self.peterSigner)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.verifier.verifierKey == Self.peterVerifier)
        #expect(signer.signerKey == Self.peterSigner)
        #expect(try NoteVerifier(verifierKey: Self.peterVerifier) == signer.verifier)
    }

    /// Keys whose base64 holds '+' (most of them) read back: only the first separators split fields.
    @Test func generatedKeysRoundTrip() throws {
        for _ in 0..<50 {
            let signer = try NoteSigner.generate(name: "example.com/ledger")
            #expect(try NoteSigner(signerKey: signer.signerKey).verifier == signer.verifier)
            #expect(try NoteVerifier(verifierKey: signer.verifier.verifierKey) == signer.verifier)
        }
    }

    @Test func signatureIsByteExactWithGo() throws {
        let signer = try NoteSigner(signerKey: Self.peterSigner)
        #expect(try SignedNote.sign(text: Self.peterText, with: signer) == Self.peterText + "\n" + Self.peterSignature)
    }

    @Test func goNoteOpensAndAMutatedOneDoesNot() throws {
        let verifier = try NoteVerifier(verifierKey: Self.peterVerifier)
        let note = Self.peterText + "\n" + Self.peterSignature
        #expect(try SignedNote.open(note, verifier: verifier) == Self.peterText)
        // Another key's signature beside it is ignored, as the spec says.
        let enoch =
            "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
        #expect(try SignedNote.open(note + enoch, verifier: verifier) == Self.peterText)
        #expect(throws: NoteError.self) { try SignedNote.open(Self.peterText + "\n" + enoch, verifier: verifier) }
        var bytes = Array(note.utf8)
        bytes[3] ^= 0x01
        #expect(throws: NoteError.self) {
            try SignedNote.open(String(decoding: bytes, as: UTF8.self), verifier: verifier)
        }
    }

    /// TestNewVerifier: every proper substring and every one-byte increment of the key is refused.
    @Test func mangledVerifierKeysAreRefused() {
        let key = Array(Self.peterVerifier.utf8)
        var accepted: [String] = []
        for i in 0...key.count {
            for j in (i + 1)..<(key.count + 1) where !(i == 0 && j == key.count) {
                let text = String(decoding: key[i..<j], as: UTF8.self)
                if (try? NoteVerifier(verifierKey: text)) != nil { accepted.append(text) }
            }
        }
        for i in key.indices {
            var mangled = key
            mangled[i] &+= 1
            let text = String(decoding: mangled, as: UTF8.self)
            if (try? NoteVerifier(verifierKey: text)) != nil { accepted.append(text) }
        }
        for text in [
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        ] where (try? NoteVerifier(verifierKey: text)) != nil {
            accepted.append(text)
        }
        #expect(accepted.isEmpty)
    }

    /// TestNewSigner: every proper substring and one-byte increment of the signer key is refused.
    @Test func mangledSignerKeysAreRefused() {
        let key = Array(Self.peterSigner.utf8)
        var accepted: [String] = []
        for i in 0...key.count {
            for j in (i + 1)..<(key.count + 1) where !(i == 0 && j == key.count) {
                let text = String(decoding: key[i..<j], as: UTF8.self)
                if (try? NoteSigner(signerKey: text)) != nil { accepted.append(text) }
            }
        }
        for i in key.indices {
            var mangled = key
            mangled[i] &+= 1
            let text = String(decoding: mangled, as: UTF8.self)
            if (try? NoteSigner(signerKey: text)) != nil { accepted.append(text) }
        }
        #expect(accepted.isEmpty)
    }

    /// c2sp.org/signed-note's example: the verifier key and the note, taken from the spec's text.
    @Test func c2spSignedNoteExampleVerifies() throws {
        let spec = try Vectors.text("c2sp/signed-note.md")
        let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
        let note =
            "This is an example message.\n\n\u{2014} example.com/foo "
            + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
        #expect(spec.contains(vkey))
        #expect(spec.contains(note))
        let verifier = try NoteVerifier(verifierKey: vkey)
        #expect(try SignedNote.open(note, verifier: verifier) == "This is an example message.\n")
    }

    @Test func checkpointRoundTripsAndOneFlippedBitFails() throws {
        let signer = try NoteSigner(name: "example.com/ledger", seed: [UInt8](repeating: 7, count: 32))
        let root = [UInt8](repeating: 0xAB, count: 32)
        let note = try Checkpoint(origin: signer.name, size: 42, rootHash: root).signed(by: signer)
        let opened = try Checkpoint.open(note, verifier: signer.verifier)
        #expect(opened == Checkpoint(origin: signer.name, size: 42, rootHash: root))
        let bytes = Array(note.utf8)
        var survivors = 0
        for index in bytes.indices where bytes[index] != 0x0A {
            for bit in 0..<8 {
                var mangled = bytes
                mangled[index] ^= UInt8(1 << bit)
                if let flipped = String(validating: mangled, as: UTF8.self),
                    (try? Checkpoint.open(flipped, verifier: signer.verifier)) != nil
                {
                    survivors += 1
                }
            }
        }
        #expect(survivors == 0)
    }

    @Test func checkpointTextMatchesTheSpecExample() throws {
        let spec = try Vectors.text("c2sp/tlog-checkpoint.md")
        let text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
        #expect(spec.contains(text))
        let checkpoint = try Checkpoint(text: text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.text == text)
        #expect(throws: NoteError.self) {
            try Checkpoint(text: "example.com/x\n020\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
        }
    }

    /// c2sp.org/tlog-tiles and Go's tile tests: indexes in groups of three, `x` before all but the last.
    @Test func tilePaths() throws {
        let go = try Vectors.text("golang-sumdb/sumdb_tlog_tile_test.go.txt")
        #expect(go.contains("tile/3/5/x123/x456/078.p/2"))
        #expect(TilePath.hashTile(level: 3, index: 123_456_078, partialWidth: 2) == "tile/3/x123/x456/078.p/2")
        #expect(TilePath.hashTile(level: 1, index: 3_057_500) == "tile/1/x003/x057/500")
        #expect(TilePath.hashTile(level: 0, index: 1_234_067) == "tile/0/x001/x234/067")
        #expect(TilePath.entryBundle(index: 5) == "tile/entries/005")
    }

    /// Every path a tile server answers parses back to its resource; anything not canonical is nil.
    @Test func tilePathsParseBackAndOnlyCanonicalOnes() {
        for (level, index, width) in [(0, UInt64(0), 256), (3, 123_456_078, 2), (1, 3_057_500, 255), (63, 999, 1)] {
            let path = TilePath.hashTile(level: level, index: index, partialWidth: width == 256 ? nil : width)
            #expect(TilePath.parse(path.dropFirst(5)) == .hashes(level: level, index: index, width: width))
        }
        #expect(TilePath.parse("entries/x001/x234/067.p/7") == .entries(index: 1_234_067, width: 7))
        #expect(TilePath.parse("entries/005") == .entries(index: 5, width: 256))
        for bad in [
            "0/67", "0/x000/067", "00/067", "64/000", "0/067.p/0", "0/067.p/256", "0/067.p/07", "0/067.p",
            "0/x067", "0/067/", "0//067", "entries/x1/067", "0/+67", "0/06a", "0",
            "0/x018/x446/x744/x073/x709/x551/616",  // 2^64: past UInt64
        ] {
            #expect(TilePath.parse(Substring(bad)) == nil, "\(bad)")
        }
        #expect(TilePath.parse("0/x018/x446/x744/x073/x709/x551/615") == .hashes(level: 0, index: .max, width: 256))
    }

    /// Entry bundles as c2sp.org/tlog-tiles writes them: a big-endian uint16 length, then the bytes.
    @Test func entryBundlesAreLengthPrefixedBigEndian() {
        var bundle: [UInt8] = []
        EntryBundle.append(Array("abc".utf8), to: &bundle)
        EntryBundle.append([], to: &bundle)
        EntryBundle.append(Array(repeating: 7, count: 300), to: &bundle)
        #expect(Array(bundle.prefix(7)) == [0, 3, 0x61, 0x62, 0x63, 0, 0])
        #expect(Array(bundle[7..<9]) == [0x01, 0x2C])
        #expect(EntryBundle.entries(bundle) == [Array("abc".utf8), [], Array(repeating: 7, count: 300)])
        #expect(EntryBundle.entries(Array(bundle.dropLast())) == nil, "a cut entry")
        #expect(EntryBundle.entries([0]) == nil, "a cut length")
        #expect(EntryBundle.entries([]) == [])
    }

    @Test func base64IsStrict() {
        #expect(Base64.decode("aGVsbG8gd29ybGQ=") == Array("hello world".utf8))
        #expect(Base64.decode("aGVsbG8gd29ybGR=") == nil)  // stray bits in the last character
        #expect(Base64.decode("aGVsbG8gd29ybGQ") == nil)
        #expect(Base64.decode("aGVs bG8=") == nil)
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }
}
