import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The README.md card's YAML header (Hugging Face `datasets`) and
/// `croissant.json` (MLCommons Croissant) of a dataset directory agree with
/// its manifest, the source of truth: the files and their SHA-256, the
/// columns and their types, the class names, the row count; for the `.npy`
/// directory (whole and one shard) and the table directory of every table
/// format, with class names and with ids, whole and one shard. (That the libraries load them:
/// synthctlTests' `DatasetLoadSuiteTests`.)
@Suite struct DatasetDescriptionTests {
    static let spec = #"{"rows": 600, "seed": 9, "generator": {"type": "classification", "features": 5, "informative": 3, "classes": 4}, "noise": {"type": "random", "rate": 0.2}, "annotators": {"count": 3, "per_item": 2}}"#

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    func json(_ path: String) throws -> JSONValue { try JSONDecoderBox.decode(text(path)) }

    /// The YAML header of a card, parsed (Yams, as specs are read).
    func header(_ card: String) throws -> JSONValue {
        #expect(card.hasPrefix("---\n"))
        let end = try #require(card.range(of: "\n---\n"))
        return try SpecLoader.yaml(String(card[card.index(card.startIndex, offsetBy: 4)..<end.lowerBound]) + "\n", path: "README.md")
    }

    func strings(_ v: JSONValue?) -> [String] {
        guard case .array(let items)? = v else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// A scalar as text: Yams' basic resolver may leave numbers as strings.
    func scalar(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: s
        case .int(let i)?: String(i)
        default: nil
        }
    }

    /// The SHA-256 and size of a file, as a manifest entry states them.
    func entry(_ path: String) throws -> JSONValue {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return .object(["sha256": .string(sha256Hex(bytes)), "bytes": .int(bytes.count)])
    }

    @Test(arguments: [nil, "2/3"])
    func npyDirectoryCardAndCroissantAgreeWithTheManifest(shard: String?) throws {
        var w = DatasetWriter(plan: try plan(Self.spec))
        w.shard = try shard.map { try Shard(parsing: $0) }
        let dir = "\(temporaryDirectory())/d"
        let summary = try w.write(to: dir)
        let manifest = try json("\(dir)/manifest.json")
        guard case .object(let files)? = manifest["files"] else { Issue.record("no files"); return }
        // The manifest lists the card and croissant.json with their bytes' SHA-256, and they list nothing it does not.
        for name in ["README.md", "croissant.json"] { #expect(files[name] == (try entry("\(dir)/\(name)")), "\(name)") }
        #expect(summary.files.sorted() == (Array(files.keys) + ["manifest.json"]).sorted())

        let card = try header(text("\(dir)/README.md"))
        let configs = try #require({ if case .array(let c)? = card["configs"] { c } else { nil } }())
        #expect(configs.count == 1 && scalar(configs[0]["config_name"]) == "default")
        let dataFiles = try #require({ if case .array(let d)? = configs[0]["data_files"] { d } else { nil } }())
        // No loader reads .npy: the card names features.npy (load_dataset fails naming it) and states no features.
        #expect(dataFiles.count == 1 && scalar(dataFiles[0]["split"]) == "train" && scalar(dataFiles[0]["path"]) == "features.npy")
        #expect(files["features.npy"] != nil && card["dataset_info"] == nil)

        let croissant = try json("\(dir)/croissant.json")
        #expect(scalar(croissant["@type"]) == "sc:Dataset" && scalar(croissant["conformsTo"]) == "http://mlcommons.org/croissant/1.0")
        guard case .array(let distribution)? = croissant["distribution"] else { Issue.record("no distribution"); return }
        let arrays = files.keys.filter { $0.hasSuffix(".npy") }.sorted()
        #expect(distribution.compactMap { scalar($0["contentUrl"]) }.sorted() == arrays)
        for object in distribution {
            let name = try #require(scalar(object["contentUrl"]))
            #expect(scalar(object["@type"]) == "cr:FileObject" && object["sha256"] == files[name]?["sha256"], "\(name)")
        }
        let rows = try #require(manifest["rows"])
        #expect(scalar(croissant["description"])?.contains(": \(rows.shortDescription) rows,") == true)
        #expect(rows == .int(shard == nil ? 600 : 200))
        try checkClasses(croissant, manifest)
    }

    /// A dataset sampled from a fitted model holds copies of the model:
    /// croissant.json lists them as `cr:FileObject`s with the manifest's
    /// SHA-256 (JSON as `application/json`, safetensors as
    /// `application/octet-stream`), and the card's Files section names them;
    /// for the `.npy` directory and a table directory.
    @Test(arguments: [OutputFormat.npy, .parquet])
    func modelCopiesAreInTheCardAndCroissant(format: OutputFormat) throws {
        let (_, model, _) = try #require(try ModelFileFormTests.models().first)
        let spec = try FittedModelFile.generatorSpec(loading: ModelFileFormTests.write(model))
        var w = DatasetWriter(plan: try DatasetPlan(spec: .object(["rows": .int(300), "seed": .int(3), "generator": .object(spec)]), source: "spec.json"))
        w.format = format
        w.tableDirectory = format != .npy
        let dir = "\(temporaryDirectory())/m"
        _ = try w.write(to: dir)
        let manifest = try json("\(dir)/manifest.json")
        guard case .object(let files)? = manifest["files"] else { Issue.record("no files"); return }
        let croissant = try json("\(dir)/croissant.json")
        guard case .array(let distribution)? = croissant["distribution"] else { Issue.record("no distribution"); return }
        // Every file but the two descriptions, each with the manifest's and its bytes' SHA-256.
        #expect(distribution.compactMap { scalar($0["contentUrl"]) }.sorted() == files.keys.filter { $0 != "README.md" && $0 != "croissant.json" }.sorted())
        for object in distribution {
            let name = try #require(scalar(object["contentUrl"]))
            #expect(scalar(object["@type"]) == "cr:FileObject" && object["sha256"] == files[name]?["sha256"], "\(name)")
            #expect(object["sha256"] == (try entry("\(dir)/\(name)"))["sha256"], "\(name)")
        }
        let media = Dictionary(uniqueKeysWithValues: distribution.compactMap { o in scalar(o["contentUrl"]).map { ($0, scalar(o["encodingFormat"])) } })
        #expect(media["model.json"] == "application/json" && media["model.safetensors"] == "application/octet-stream")
        for name in ["README.md", "croissant.json"] { #expect(files[name] == (try entry("\(dir)/\(name)")), "\(name)") }
        #expect(try text("\(dir)/README.md").contains("- `model.json` and `model.safetensors`: the fitted model the rows were sampled from"))
    }

    /// croissant.json's `classes` record set holds the manifest's class names by id.
    func checkClasses(_ croissant: JSONValue, _ manifest: JSONValue) throws {
        guard case .array(let sets)? = croissant["recordSet"], let classes = sets.first(where: { scalar($0["@id"]) == "classes" }),
              case .array(let data)? = classes["data"] else { Issue.record("no classes record set"); return }
        #expect(data.map { $0["classes/id"] } == strings(manifest["class_names"]).indices.map { .int($0) })
        #expect(data.compactMap { scalar($0["classes/name"]) } == strings(manifest["class_names"]))
    }

    static let tables: [(OutputFormat, LabelFormat, String?)] = [
        (.csv, .name, nil), (.csv, .id, nil), (.jsonl, .name, nil), (.jsonl, .id, "2/3"), (.parquet, .name, nil),
        (.parquet, .id, nil), (.parquet, .name, "3/3"),
    ]

    @Test(arguments: tables)
    func tableDirectoryCardAndCroissantAgreeWithTheManifest(format: OutputFormat, labels: LabelFormat, shard: String?) throws {
        var w = DatasetWriter(plan: try plan(Self.spec))
        w.format = format
        w.labelFormat = labels
        w.tableDirectory = true
        w.shard = try shard.map { try Shard(parsing: $0) }
        let dir = "\(temporaryDirectory())/t"
        let summary = try w.write(to: dir)
        let data = "data.\(format.rawValue)"
        #expect(summary.files.sorted() == ["README.md", "croissant.json", data, "manifest.json"].sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == summary.files.sorted())
        let manifest = try json("\(dir)/manifest.json")
        guard case .object(let files)? = manifest["files"] else { Issue.record("no files"); return }
        #expect(files.keys.sorted() == ["README.md", "croissant.json", data])
        for name in files.keys { #expect(files[name]?["sha256"] == (try entry("\(dir)/\(name)"))["sha256"], "\(name)") }
        #expect(files[data]?["bytes"] == (try entry("\(dir)/\(data)"))["bytes"])
        // The table's bytes are those of the single-file form.
        var single = w
        single.tableDirectory = false
        let file = "\(temporaryDirectory())/t.\(format.rawValue)"
        _ = try single.write(to: file)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(data)")))

        let croissant = try json("\(dir)/croissant.json")
        guard case .array(let distribution)? = croissant["distribution"], distribution.count == 1 else { Issue.record("no distribution"); return }
        #expect(scalar(distribution[0]["@type"]) == "cr:FileObject" && scalar(distribution[0]["contentUrl"]) == data)
        #expect(distribution[0]["sha256"] == files[data]?["sha256"])
        #expect(scalar(distribution[0]["encodingFormat"]) == ["csv": "text/csv", "jsonl": "application/jsonlines", "parquet": "application/x-parquet"][format.rawValue])
        try checkCardAndCroissant(card: header(text("\(dir)/README.md")), croissant: croissant, manifest: manifest, data: data, labels: labels)
        #expect(manifest["rows"] == .int(shard == nil ? 600 : 200))
    }

    /// The card's features and split and croissant's fields and files are
    /// the manifest's schema, class names and rows.
    func checkCardAndCroissant(card: JSONValue, croissant: JSONValue, manifest: JSONValue, data: String, labels: LabelFormat) throws {
        let classNames = strings(manifest["class_names"])
        guard case .array(let columns)? = manifest["schema"]?["columns"] else { Issue.record("no schema"); return }
        let names = columns.compactMap { scalar($0["name"]) }
        #expect(names.contains("annotator_2") && names.contains("label") && names.contains("x4"))
        guard case .array(let configs)? = card["configs"], case .array(let dataFiles)? = configs.first?["data_files"],
              let glob = scalar(dataFiles.first?["path"]) else { Issue.record("no data_files"); return }
        #expect(glob == data)
        guard case .array(let features)? = card["dataset_info"]?["features"],
              case .array(let splits)? = card["dataset_info"]?["splits"] else { Issue.record("no dataset_info"); return }
        #expect(features.compactMap { scalar($0["name"]) } == names)
        #expect(splits.count == 1 && scalar(splits[0]["name"]) == "train" && scalar(splits[0]["num_examples"]) == scalar(manifest["rows"]))
        guard case .array(let sets)? = croissant["recordSet"], let rows = sets.first(where: { scalar($0["@id"]) == "rows" }),
              case .array(let fields)? = rows["field"] else { Issue.record("no rows record set"); return }
        #expect(fields.compactMap { scalar($0["name"]) } == names)
        #expect(fields.allSatisfy { scalar($0["source"]?["fileObject"]?["@id"]) == data })
        for (column, (feature, field)) in zip(columns, zip(features, fields)) {
            let name = scalar(column["name"]) ?? ""
            let type = scalar(column["type"])
            let isClass = name == "label" || name == "true_label" || name.hasPrefix("annotator_")
            if isClass {
                let stated = feature["dtype"]?["class_label"]?["names"]
                #expect((0..<classNames.count).map { scalar(stated?[String($0)]) } == classNames.map { $0 }, "\(name)")
                #expect(scalar(field["dataType"]) == (labels == .id ? "sc:Integer" : "sc:Text"), "\(name)")
                #expect(scalar(field["references"]?["field"]?["@id"]) == (labels == .id ? "classes/id" : "classes/name"))
            } else {
                let (dtype, dataType) = switch type {
                case "integer": ("int32", "sc:Integer")
                case "boolean": ("bool", "sc:Boolean")
                default: ("float32", "sc:Float")
                }
                #expect(scalar(feature["dtype"]) == dtype && scalar(field["dataType"]) == dataType, "\(name): \(type ?? "?")")
            }
            #expect(scalar(field["source"]?["extract"]?["column"]) == name)
        }
        try checkClasses(croissant, manifest)
    }

    @Test func aTableDirectoryIsReplacedOnlyWithForceAndWhole() throws {
        let dir = "\(temporaryDirectory())/t"
        func write(_ format: OutputFormat, seed: Int, force: Bool = false) throws {
            var w = DatasetWriter(plan: try plan(Self.spec.replacingOccurrences(of: "\"seed\": 9", with: "\"seed\": \(seed)")))
            w.format = format
            w.tableDirectory = true
            w.force = force
            _ = try w.write(to: dir)
        }
        try write(.csv, seed: 9)
        let card = try text("\(dir)/README.md")
        #expect(errorMessage { try write(.csv, seed: 10) } != nil)
        #expect(try text("\(dir)/README.md") == card)
        try write(.parquet, seed: 10, force: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["README.md", "croissant.json", "data.parquet", "manifest.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: (dir as NSString).deletingLastPathComponent) == ["t"], "nothing left beside it")
    }

    @Test func yamlNamesReadBackAsWritten() throws {
        let names = ["class_0", "price, usd", "say \"hi\"", "back\\slash", "tab\there", "line\nbreak", "\u{1b}[31m", "del\u{7f}",
                     "c1\u{85}\u{9f}", "bom\u{feff}", "- dash", "# hash", "yes", "null", "0", "émoji 🐱", ": colon", "'quote'", ""]
        let yaml = "names:\n" + names.enumerated().map { "  \"\($0.offset)\": \(DatasetCardHeader.quoted($0.element))\n" }.joined()
        let parsed = try SpecLoader.yaml(yaml, path: "README.md")
        #expect((0..<names.count).map { scalar(parsed["names"]?[String($0)]) } == names.map { $0 })
    }
}
