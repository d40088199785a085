import Testing
import Foundation

/// `--schema FILE` is one of the run's inputs: no output of the run may
/// overwrite it, even with --force, in every command that takes it.
extension CommandLineTests {
    @Test(arguments: [
        ["score", "--table", "t.csv", "--schema", "s.json", "--json", "s.json", "--force"],
        ["compare", "--human", "t.csv", "--synthetic", "t.csv", "--schema", "s.json", "--json", "./s.json", "--force"],
        ["limits", "--human", "t.csv", "--synthetic", "t.csv", "--schema", "s.json", "--markdown", "s.json", "--force"],
        ["fit", "t.csv", "--schema", "s.json", "--out", "s.json", "--force"],
        ["collapse", "--human", "t.csv", "--schema", "s.json", "--json", "s.json", "--force"],
    ])
    func anOutputOnTheSchemaFileIsRefused(_ args: [String]) throws {
        let dir = tempDir()
        let schema = #"{"columns": [{"name": "x0", "type": "numeric"}]}"#
        try schema.write(toFile: "\(dir)/s.json", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        let r = try run(args, in: dir)
        let option = args[args.firstIndex(of: "--force")! - 2], path = args[args.firstIndex(of: "--force")! - 1]
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(option) \(path): expected an output that is not one of the run's inputs, found the same file as the input --schema s.json\n")
        #expect(try String(contentsOfFile: "\(dir)/s.json", encoding: .utf8) == schema)
    }
}
