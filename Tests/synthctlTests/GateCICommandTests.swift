import Testing
import Foundation

/// Gates for CI: `--junit FILE` (every gate a JUnit test case) and GitHub
/// workflow-command annotations when `GITHUB_ACTIONS=true`; reports to
/// standard output (`--json -`) stay parseable in every command.
extension CommandLineTests {
    /// 20 items, three careful annotators and one who is always wrong,
    /// named with every character XML and GitHub's commands escape.
    func writeAnswersWithABadAnnotator(in dir: String) throws -> String {
        var text = "item,worker,label\n"
        for item in 0..<20 {
            let truth = item % 2
            for worker in ["a", "b", "c"] { text += "\(item),\(worker),\(truth)\n" }
            text += "\(item),\"w<&>'%:\"\"\",\(1 - truth)\n"
        }
        try text.write(toFile: "\(dir)/answers.csv", atomically: true, encoding: .utf8)
        return "answers.csv"
    }

    @Test func junitHasOneTestCasePerGateAndGitHubGetsAnnotations() throws {
        let dir = tempDir()
        let answers = try writeAnswersWithABadAnnotator(in: dir)
        let args = ["score", "--answers", answers, "--min-agreement", "-1", "--min-annotator-accuracy", "0.9", "--junit", "gates.xml"]
        let r = try run(args, in: dir, environment: ["GITHUB_ACTIONS": "true"])
        #expect(r.code == 1, "\(r.stderr)")
        let failure = "--min-annotator-accuracy: 1 annotator below 0.9000; the worst, w<&>'%:\", has "
        #expect(r.stderr.contains("synthctl: gate failed: \(failure)"))
        // GitHub: % escaped in the message; the title's properties have no : or ,.
        #expect(r.stderr.contains("\n::error title=synthctl score gate::--min-annotator-accuracy: 1 annotator below 0.9000; the worst, w<&>'%25:\", has "))
        #expect(!r.stdout.contains("::error"))
        let check = try python("""
        import xml.etree.ElementTree as E
        root = E.parse('\(dir)/gates.xml').getroot()
        assert root.tag == 'testsuites' and root.get('tests') == '2' and root.get('failures') == '1', root.attrib
        (suite,) = list(root)
        assert suite.tag == 'testsuite' and suite.get('name') == 'synthctl score gates'
        cases = suite.findall('testcase')
        assert [c.get('name') for c in cases] == ['--min-agreement -1.0', '--min-annotator-accuracy 0.9'], [c.get('name') for c in cases]
        assert cases[0].find('failure') is None
        f = cases[1].find('failure')
        assert f.get('message').startswith(\(pythonString(failure))), f.get('message')
        assert f.text == f.get('message')
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")

        // Off GitHub Actions: no workflow commands. Gates passing: exit 0, the file says so.
        let quiet = try run(["score", "--answers", answers, "--min-agreement", "-1", "--junit", "pass.xml"], in: dir)
        #expect(quiet.code == 0 && !quiet.stderr.contains("::error"), "\(quiet.stderr)")
        let passed = String(decoding: contents(dir, "pass.xml") ?? Data(), as: UTF8.self)
        #expect(passed.contains("<testsuites name=\"synthctl score gates\" tests=\"1\" failures=\"0\" errors=\"0\">"))
        #expect(passed.contains("<testcase classname=\"synthctl.score\" name=\"--min-agreement -1.0\"/>"))
    }

    func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    @Test func compareAndLimitsWriteParseableJSONToStandardOutputAndCompareGatesToJUnit() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "h.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "1", "--format", "csv", "--out", "s.csv"], in: dir).code == 0)
        let compare = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--no-baselines", "--kid-subsets", "2",
                               "--max-mean-ks", "0", "--gate", "max-detection-auc=1", "--json", "-", "--junit", "gates.xml"],
                              in: dir, environment: ["GITHUB_ACTIONS": "true"])
        #expect(compare.code == 1, "\(compare.stderr)")
        #expect(compare.stderr.contains("::error title=synthctl compare gate::--max-mean-ks: "))
        let limits = try run(["limits", "--human", "h.csv", "--synthetic", "s.csv", "--points", "3", "--seeds", "1", "--json", "-"], in: dir)
        #expect(limits.code == 0, "\(limits.stderr)")
        try compare.stdout.write(toFile: "\(dir)/compare-stdout", atomically: true, encoding: .utf8)
        try limits.stdout.write(toFile: "\(dir)/limits-stdout", atomically: true, encoding: .utf8)
        let check = try python("""
        import json, xml.etree.ElementTree as E
        json.load(open('\(dir)/compare-stdout'))['compare']
        json.load(open('\(dir)/limits-stdout'))['limits']
        cases = E.parse('\(dir)/gates.xml').getroot().find('testsuite').findall('testcase')
        assert [c.get('name') for c in cases] == ['--max-mean-ks 0.0', '--gate max-detection-auc=1.0'], [c.get('name') for c in cases]
        assert cases[0].find('failure') is not None and cases[1].find('failure') is None
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }
}
