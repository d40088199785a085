import Testing
import Foundation

/// Gates on the by-type fidelity and validity metrics (`--gate
/// min-column-shapes=…`, `min-column-pair-trends`, `min-integrality`,
/// `min-category-coverage`, `max-unseen-categories`) and on the verdict
/// (`--fail-on-verdict`), through the binary: each passing and failing,
/// reading the values the JSON report gives, in JUnit and in GitHub
/// annotations like the other gates.
extension CommandLineTests {
    /// The mixed-type tables of Tests/Oracles/column_fidelity_oracle.py:
    /// "off" has fractional visits (an integer column in the human rows), a
    /// human city missing and an unseen one (Brest).
    static let columnFidelityTables = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EvalTests/Fixtures/column_fidelity").path

    static let validityGates = ["min-column-shapes", "min-column-pair-trends", "min-integrality", "min-category-coverage", "max-unseen-categories"]

    func compareOff(_ also: [String], in dir: String, environment: [String: String] = [:]) throws -> Result {
        let t = Self.columnFidelityTables
        return try run(["compare", "--human", "\(t)/off_human.csv", "--synthetic", "\(t)/off_synthetic.csv", "--categorical", "member",
                        "--no-per-class", "--no-baselines", "--kid-subsets", "5", "--detector", "logistic"] + also,
                       in: dir, environment: environment)
    }

    @Test func validityGatesPassAndFailOnTheValuesTheReportGives() throws {
        let dir = tempDir()
        let limitsPassing = ["min-column-shapes=0", "min-column-pair-trends=0", "min-integrality=0", "min-category-coverage=0",
                             "max-unseen-categories=1"]
        let pass = try compareOff(limitsPassing.flatMap { ["--gate", $0] } + ["--json", "r.json", "--junit", "pass.xml"], in: dir)
        #expect(pass.code == 0, "\(pass.stderr)")
        #expect(!pass.stderr.contains("gate failed"))
        let passed = String(decoding: FileManager.default.contents(atPath: "\(dir)/pass.xml") ?? Data(), as: UTF8.self)
        #expect(passed.contains("tests=\"5\" failures=\"0\""), "\(passed)")
        for gate in Self.validityGates { #expect(passed.contains("name=\"--gate \(gate)="), "\(gate)") }

        // Limits every value misses: each gate fails, naming the value the JSON has (4 decimals), in declaration order.
        let limitsFailing = ["min-column-shapes=1", "min-column-pair-trends=1", "min-integrality=1", "min-category-coverage=1",
                             "max-unseen-categories=0"]
        let fail = try compareOff(limitsFailing.reversed().flatMap { ["--gate", $0] } + ["--junit", "fail.xml"], in: dir,
                                  environment: ["GITHUB_ACTIONS": "true"])
        #expect(fail.code == 1, "\(fail.stderr)")
        try fail.stderr.write(toFile: "\(dir)/stderr", atomically: true, encoding: .utf8)
        let check = try python("""
        import json, xml.etree.ElementTree as E
        c = json.load(open('\(dir)/r.json'))['compare']['synthetic']
        v = c['validity']
        values = [('min-integrality', 'integrality', v['integrality'], 'below 1.0000'),
                  ('min-category-coverage', 'category coverage', v['category_coverage'], 'below 1.0000'),
                  ('max-unseen-categories', 'the unseen-category share', v['unseen_category_share'], 'above 0.0000'),
                  ('min-column-shapes', 'column shapes', c['column_shapes']['score'], 'below 1.0000'),
                  ('min-column-pair-trends', 'column pair trends', c['column_pair_trends']['score'], 'below 1.0000')]
        assert v['integrality'] == 0 and 0 < v['unseen_category_share'] < 1 and v['category_coverage'] < 1, v
        lines = [l for l in open('\(dir)/stderr').read().splitlines() if l.startswith('synthctl: gate failed: ')]
        expected = ['synthctl: gate failed: --gate %s: %s is %.4f, %s' % (g, s, x, side) for g, s, x, side in values]
        assert lines == expected, (lines, expected)
        notes = [l for l in open('\(dir)/stderr').read().splitlines() if l.startswith('::error title=synthctl compare gate::')]
        assert len(notes) == 5, notes
        cases = E.parse('\(dir)/fail.xml').getroot().find('testsuite').findall('testcase')
        assert [c.get('name').split('=')[0] for c in cases] == ['--gate ' + g for g, _, _, _ in values], [c.get('name') for c in cases]
        assert all(c.find('failure') is not None for c in cases)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// Without integer or categorical columns integrality, category coverage
    /// and the unseen-category share are undefined: a gate on them fails
    /// saying why, as gates on other undefined statistics do.
    @Test func aValidityGateOnAnUndefinedMetricFailsSayingWhy() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "h.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "1", "--format", "csv", "--out", "s.csv"], in: dir).code == 0)
        let r = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--no-per-class", "--no-baselines", "--kid-subsets", "5",
                         "--detector", "logistic", "--gate", "min-integrality=0", "--gate", "min-category-coverage=0",
                         "--gate", "max-unseen-categories=1", "--gate", "min-column-shapes=0"], in: dir)
        #expect(r.code == 1, "\(r.stderr)")
        let failed = r.stderr.split(separator: "\n").filter { $0.hasPrefix("synthctl: gate failed: ") }
        #expect(failed == [
            "synthctl: gate failed: --gate min-integrality: integrality is undefined (no numeric column holds only whole numbers in the human training rows)",
            "synthctl: gate failed: --gate min-category-coverage: category coverage is undefined (no categorical feature column)",
            "synthctl: gate failed: --gate max-unseen-categories: the unseen-category share is undefined (no categorical feature column)",
        ], "\(r.stderr)")
    }

    @Test func theNewGatesAreListedInHelpAndRefuseLimitsOutOfRange() throws {
        let help = try run(["compare", "--help"])
        #expect(help.code == 0)
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for gate in Self.validityGates { #expect(flat.contains(gate), "\(gate)") }
        #expect(flat.contains("--fail-on-verdict"))
        #expect(flat.contains("distinguishable, closer_than_human, indistinguishable_lower_coverage, indistinguishable, undetermined"))
        let r = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--gate", "max-unseen-categories=2"])
        #expect(r.code == 2 && r.stderr == "synthctl: error: --gate: expected max-unseen-categories=LIMIT with LIMIT a number in [0, 1], found max-unseen-categories=2\n",
                "\(r.stderr)")
    }

    /// `--fail-on-verdict` fails exactly when the verdict is one of the
    /// kinds it names (as the JSON spells them), with the verdict line.
    @Test func failOnVerdictGatesTheVerdictKind() throws {
        let dir = tempDir()
        let probe = try compareOff(["--json", "r.json"], in: dir)
        #expect(probe.code == 0, "\(probe.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/r.json"))) as? [String: Any]
        let verdict = try #require((report?["compare"] as? [String: Any])?["verdict"] as? [String: Any])
        let kind = try #require(verdict["kind"] as? String), text = try #require(verdict["text"] as? String)
        let others = ["distinguishable", "closer_than_human", "indistinguishable_lower_coverage", "indistinguishable", "undetermined"]
            .filter { $0 != kind }
        #expect(others.count == 4, "\(kind)")

        let pass = try compareOff(["--fail-on-verdict", others.joined(separator: ","), "--junit", "pass.xml"], in: dir)
        #expect(pass.code == 0 && !pass.stderr.contains("gate failed"), "\(pass.stderr)")
        let passed = String(decoding: FileManager.default.contents(atPath: "\(dir)/pass.xml") ?? Data(), as: UTF8.self)
        #expect(passed.contains("<testcase classname=\"synthctl.compare\" name=\"--fail-on-verdict \(others.joined(separator: ","))\"/>"), "\(passed)")

        // Repeated, with the report's kind among them: exit 1, the verdict line, JUnit and the GitHub annotation.
        let fail = try compareOff(["--fail-on-verdict", others[0], "--fail-on-verdict", kind, "--gate", "min-column-shapes=0", "--junit", "fail.xml"],
                                  in: dir, environment: ["GITHUB_ACTIONS": "true"])
        #expect(fail.code == 1, "\(fail.stderr)")
        let line = "verdict \(kind) (--fail-on-verdict): \(text)"
        let failed = fail.stderr.split(separator: "\n").filter { $0.hasPrefix("synthctl: gate failed: ") }
        #expect(failed == ["synthctl: gate failed: \(line)"], "\(fail.stderr)")
        #expect(fail.stderr.contains("::error title=synthctl compare gate::verdict \(kind) (--fail-on-verdict): "))
        let xml = String(decoding: FileManager.default.contents(atPath: "\(dir)/fail.xml") ?? Data(), as: UTF8.self)
        #expect(xml.contains("tests=\"2\" failures=\"1\""), "\(xml)")
        #expect(xml.contains("name=\"--fail-on-verdict \(others[0]),\(kind)\">"), "\(xml)")

        // An unknown kind: one line listing the kinds, exit 2, before anything is read.
        let unknown = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--fail-on-verdict", "distinguishable,lower-coverage"], in: dir)
        #expect(unknown.code == 2)
        #expect(unknown.stderr == "synthctl: error: --fail-on-verdict: expected verdict kinds among distinguishable, closer_than_human, indistinguishable_lower_coverage, indistinguishable, undetermined, found \"lower-coverage\"\n",
                "\(unknown.stderr)")
    }
}
