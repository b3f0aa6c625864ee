import ReleaseLedgerCore
import Transparency

/// A release decision as an in-toto Statement v1 with a SLSA Verification Summary predicate,
/// signed in a DSSE envelope. Everything in it comes from the ledger (no clock, no randomness,
/// and Ed25519 signatures are deterministic on Linux), so it is rebuilt byte for byte.
enum DecisionAttestation {
    static let statementType = "https://in-toto.io/Statement/v1"
    static let predicateType = "https://slsa.dev/verification_summary/v1"
    /// The gate table and decision, under a URI key as the VSA's parsing rules allow for extensions.
    static let decisionKey = "https://release-ledger.dev/decision/v1"
    static let policyURI = "https://release-ledger.dev/rules/v1"

    /// The rules the ledger enforces, numbered as in the README: the VSA's policy digest is their SHA-256.
    static var rulesCatalog: JSONValue {
        .array(Rule.allCases.map { ["number": .int($0.rawValue), "title": .string($0.title)] })
    }

    struct Input {
        var candidate: CandidateState
        var run: RunState
        var decision: DecisionFact
        /// The signed checkpoint covering the verdict, if one was issued: (origin, size, note).
        var checkpoint: (origin: String, size: UInt64, note: String)?
        var verifierName: String
    }

    /// The decided run of `sha` (`run`, else the latest decided one), or why there is none.
    static func input(
        candidate: CandidateState, runNumber: Int?,
        checkpoints: [(position: Int64, size: UInt64, root: [UInt8], note: String)],
        verifierName: String
    ) throws(LedgerError) -> Input {
        let runs = candidate.runs.filter { run in runNumber.map { run.number == $0 } ?? true }
        guard let run = runs.last(where: { $0.decision != nil }), let decision = run.decision else {
            throw .refused(
                rule: "attestation",
                reason: """
                    \(String(candidate.sha.prefix(12))) has no decided \
                    run\(runNumber.map { " \($0)" } ?? ""); record a verdict first
                    """
            )
        }
        // The first checkpoint issued after the verdict covers it (its tree contains the verdict's event).
        let covering = checkpoints.first { $0.size >= UInt64(decision.event.position) }
        let checkpoint = covering.flatMap { found in
            (try? Checkpoint(text: (try? SignedNote(parsing: found.note))?.text ?? "")).map {
                ($0.origin, found.size, found.note)
            }
        }
        return Input(
            candidate: candidate, run: run, decision: decision, checkpoint: checkpoint, verifierName: verifierName)
    }

    static func predicate(_ input: Input) throws(LedgerError) -> JSONValue {
        let decided = try Artifacts.decision(input.candidate, run: input.run)
        var inputs: [JSONValue] = [
            [
                "uri": .string("urn:release-ledger:event:\(input.decision.event.position)"),
                "digest": ["sha256": .string(input.decision.event.hash)],
            ]
        ]
        if let acceptance = input.candidate.acceptance {
            for link in acceptance.evidence {
                // The evidence itself is not in the ledger: the digest is the event that recorded it.
                inputs.append(["uri": .string(link.url), "digest": ["sha256": .string(acceptance.event.hash)]])
            }
        }
        if let checkpoint = input.checkpoint {
            inputs.append([
                "uri": .string("urn:release-ledger:checkpoint:\(checkpoint.origin):\(checkpoint.size)"),
                "digest": ["sha256": .string(ChainHasher.hash(checkpoint.note))],
            ])
        }
        let passed = input.decision.isYes
        return [
            "verifier": [
                "id": .string("https://" + input.verifierName),
                "version": ["release-ledger": .string(ReleaseLedger.version)],
            ],
            "timeVerified": .string(input.decision.event.at.description),
            "resourceUri": .string("pkg:generic/candidate@\(input.candidate.sha)"),
            "policy": [
                "uri": .string(policyURI), "digest": ["sha256": .string(ChainHasher.contentHash(rulesCatalog))],
            ],
            "inputAttestations": .array(inputs),
            "verificationResult": .string(passed ? "PASSED" : "FAILED"),
            "verifiedLevels": passed ? .array([]) : .array([.string("FAILED")]),
            decisionKey: [
                "sha": .string(input.candidate.sha), "run": .int(input.run.number),
                "decision": .string(input.decision.decision.rawValue),
                "reason": .string(input.decision.reason), "gates": decided["gates"] ?? .array([]),
                "reasons": decided["reasons"] ?? .array([]),
            ],
        ]
    }

    static func statement(_ input: Input) throws(LedgerError) -> JSONValue {
        var subjects: [JSONValue] = [
            ["name": .string("git+commit"), "digest": ["gitCommit": .string(input.candidate.sha)]]
        ]
        if let images = input.candidate.frozen?.images {
            for reference in [images.api, images.web] {
                guard let at = reference.lastIndex(of: "@"), reference[at...].hasPrefix("@sha256:") else { continue }
                let digest = String(reference[reference.index(at, offsetBy: 8)...])
                subjects.append(["name": .string(String(reference[..<at])), "digest": ["sha256": .string(digest)]])
            }
        }
        return [
            "_type": .string(statementType), "subject": .array(subjects), "predicateType": .string(predicateType),
            "predicate": try predicate(input),
        ]
    }

    /// The DSSE envelope (one line of JSON) over the statement's canonical bytes.
    static func envelope(_ input: Input, signer: NoteSigner) throws(LedgerError) -> String {
        DSSE.envelope(
            payloadType: DSSE.inTotoPayloadType, payload: Array(CanonicalJSON.encode(try statement(input)).utf8),
            signer: signer)
    }
}
