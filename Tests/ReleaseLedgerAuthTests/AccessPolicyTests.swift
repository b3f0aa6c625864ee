import ReleaseLedgerAuth
import ReleaseLedgerCore
import Testing

/// The policy file: claims to scopes, strictly parsed, every mistake named by its field.
@Suite struct AccessPolicyTests {
    static let file = """
        {"rules": [
          {"repository": "acme/app", "environment": "production", "ref": "refs/heads/main", "scopes": ["production", "audit"]},
          {"repository": "acme/app", "environment": "production-control-plane", "scopes": ["production-control-plane"]},
          {"repository": "acme/*", "job_workflow_ref": "acme/pipelines/.github/workflows/*@refs/heads/main", "scopes": ["candidate"]},
          {"repository": "acme/app", "environment": "acceptance", "scopes": ["acceptance", "audit"]}
        ]}
        """

    static func policy() throws -> AccessPolicy { try AccessPolicy(json: Array(file.utf8)) }

    @Test func aTokenGetsTheScopesOfEveryRuleItsClaimsMatch() throws {
        let policy = try Self.policy()
        let production = [
            "repository": "acme/app", "environment": "production", "ref": "refs/heads/main",
            "job_workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
        ]
        #expect(policy.scopes(for: production) == [.production, .audit])
        var fromPipelines = production
        fromPipelines["job_workflow_ref"] = "acme/pipelines/.github/workflows/release.yml@refs/heads/main"
        #expect(policy.scopes(for: fromPipelines) == [.production, .audit, .candidate])
        #expect(policy.scopes(for: ["repository": "acme/app", "environment": "acceptance"]) == [.acceptance, .audit])
    }

    @Test func aClaimThatDiffersOrIsMissingMatchesNoRule() throws {
        let policy = try Self.policy()
        #expect(
            policy.scopes(for: ["repository": "acme/app", "environment": "production", "ref": "refs/heads/feature"])
                .isEmpty)
        #expect(
            policy.scopes(for: ["repository": "acme/app", "ref": "refs/heads/main"]).isEmpty, "no environment claim")
        #expect(
            policy.scopes(for: ["repository": "evil/app", "environment": "production", "ref": "refs/heads/main"])
                .isEmpty)
        #expect(
            policy.scopes(for: ["repository": "acme/app", "environment": "Production", "ref": "refs/heads/main"])
                .isEmpty)
        #expect(
            policy.scopes(for: [
                "repository": "acme/app", "job_workflow_ref": "acme/pipelines/.github/workflows/x.yml@refs/heads/dev",
            ]).isEmpty)
    }

    @Test(arguments: [
        ("acme/app", "acme/app", true), ("acme/*", "acme/app", true), ("acme/*", "acme/", true),
        ("acme/*", "acmex/app", false),
        ("*@refs/heads/main", "a/b/.github/workflows/d.yml@refs/heads/main", true), ("a*b*c", "aXbYc", true),
        ("a*b*c", "aXbY", false),
        ("refs/tags/v*", "refs/tags/v1.2.3", true), ("refs/tags/v*", "refs/heads/v1", false), ("x", "xx", false),
        ("**", "", true),
    ])
    func globsMatchAnyRunOfCharacters(_ pattern: String, _ text: String, _ matches: Bool) {
        let rule = AccessPolicy.Rule(patterns: ["ref": pattern], scopes: [.audit])
        #expect(rule.matches(["ref": text]) == matches)
    }

    @Test(arguments: [
        (#"{"rules": []}"#, "policy.rules: must be a non-empty array of rules"),
        (#"{"rule": []}"#, "policy.rule: is not a known field (rules)"),
        (
            #"{"rules": [{"environment": "production", "scopes": ["production"]}]}"#,
            "policy.rules[0].repository: is required: every repository on GitHub gets tokens from the same issuer"
        ),
        (
            #"{"rules": [{"repository": "*/app", "scopes": ["production"]}]}"#,
            "policy.rules[0].repository: must be OWNER/NAME with a literal owner (NAME may use *)"
        ),
        (
            #"{"rules": [{"repository": "*", "scopes": ["production"]}]}"#,
            "policy.rules[0].repository: must be OWNER/NAME with a literal owner (NAME may use *)"
        ),
        (
            #"{"rules": [{"repository": "acme/app", "scopes": ["root"]}]}"#,
            "policy.rules[0].scopes[0]: 'root' is not a scope; valid scopes: candidate, acceptance, production-control-plane, production, audit, admin"
        ),
        (
            #"{"rules": [{"repository": "acme/app", "envirnoment": "production", "scopes": ["audit"]}]}"#,
            "policy.rules[0].envirnoment: is not a known field (repository, environment, ref, job_workflow_ref, scopes)"
        ),
        (#"{"rules": [{"repository": "acme/app"}]}"#, "policy.rules[0].scopes: is required"),
        (
            #"{"rules": [{"repository": "acme/app", "repository": "acme/other", "scopes": ["audit"]}]}"#,
            "policy.rules[0].repository: has a duplicate key"
        ),
    ])
    func mistakesAreNamedByTheirField(_ text: String, _ message: String) {
        do {
            _ = try AccessPolicy(json: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}
