import SynthctlCore

/// `croissant.json`: the dataset described in MLCommons Croissant 1.0
/// (JSON-LD; http://mlcommons.org/croissant/1.0, "Croissant Format
/// Specification", sections "Dataset-level information", "Resources",
/// "RecordSets"), which dataset search engines, the Hugging Face Hub and
/// `mlcroissant` read.
///
/// - `distribution`: the data files. A file this run wrote whole is a
///   `cr:FileObject` with its `sha256` (the one the manifest lists); the
///   parts of a sharded Parquet dataset, which no one run sees all of, are a
///   `cr:FileSet` matching them (`includes`), their SHA-256 in each part's
///   manifest (`_part-….parquet.manifest.json`).
/// - `recordSet` `classes` (classifiers): the class ids and names, inline
///   (`data`), as Croissant states a categorical label's values.
/// - `recordSet` `rows` (tables): one `cr:Field` per column, extracted by
///   column name, typed `sc:Float` (features, targets), `sc:Integer`
///   (`label_id`, ids), `sc:Text` (class names) or `sc:Boolean`; a class
///   column `references` `classes/name` or `classes/id`.
///
/// The `.npy` arrays have no Croissant reader and no registered media type:
/// they are listed as files (media type: NumPy's format specification page,
/// as the specification allows for unregistered formats) with their
/// SHA-256, and described field by field in the card and manifest only.
///
/// The bytes are a pure function of (spec, seed, rows, format version):
/// no date, no path.
struct Croissant {
    /// A file of the dataset.
    enum Resource {
        /// One file with its SHA-256 (hex) and media type.
        case file(name: String, sha256: String, encodingFormat: String)
        /// Files matching a glob, named `name` in the description.
        case files(name: String, includes: String, encodingFormat: String)

        var id: String {
            switch self {
            case .file(let name, _, _), .files(let name, _, _): name
            }
        }
    }

    let plan: DatasetPlan
    let rows: Int
    let resources: [Resource]
    /// The table's columns, read from `resources[0]` (nil for `.npy`).
    let table: TableSchema?
    /// Whether class columns hold names or ids.
    let labelFormat: LabelFormat
    /// Whether a column holds classes (see ``DatasetCardHeader``).
    let isClassColumn: (String) -> Bool

    static let conformsTo = "http://mlcommons.org/croissant/1.0"

    /// Media types (`encodingFormat`) of synthctl's files.
    static func encodingFormat(_ format: OutputFormat) -> String {
        switch format {
        case .npy: "https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html"
        case .csv: "text/csv"
        case .jsonl: "application/jsonlines"
        case .parquet: "application/x-parquet"
        }
    }

    /// The copies of a fitted model (`gen --model`) as files: the JSON as
    /// `application/json`, the tensors (safetensors, which has no
    /// registered media type of its own: raw bytes after a JSON header) as
    /// `application/octet-stream`, each with its SHA-256 as the manifest lists it.
    static func modelResources(_ model: ModelCopies?) -> [Resource] {
        guard let model else { return [] }
        return [.file(name: model.names.json, sha256: model.sha256.json, encodingFormat: "application/json"),
                .file(name: model.names.tensors, sha256: model.sha256.tensors, encodingFormat: "application/octet-stream")]
    }

    /// The Croissant 1.0 JSON-LD context (the specification's own, verbatim).
    static let context: JSONValue = {
        var o: [String: JSONValue] = [
            "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
            "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
            "dct": "http://purl.org/dc/terms/", "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty",
            "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes",
            "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5",
            "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet", "references": "cr:references",
            "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace", "sc": "https://schema.org/",
            "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
        ].mapValues(JSONValue.string)
        o["data"] = .object(["@id": .string("cr:data"), "@type": .string("@json")])
        o["dataType"] = .object(["@id": .string("cr:dataType"), "@type": .string("@vocab")])
        o["examples"] = .object(["@id": .string("cr:examples"), "@type": .string("@json")])
        return .object(o)
    }()

    var json: JSONValue {
        let g = plan.generator
        var description = "Synthetic \(g.name) dataset written by synthctl \(SynthVersion.current) with seed \(plan.seed): "
        let dtypes = table != nil ? plan.featureDtypeSummary : "float32"
        description += "\(rows) rows, \(g.featureCount) " + (dtypes == "float32" ? "float32 features" : "features (\(dtypes))")
        switch g.labelKind {
        case .classes(let k): description += ", \(k) classes"
        case .targets(let t): description += ", \(t) regression target\(t == 1 ? "" : "s")"
        case .indicators(let l): description += ", \(l) labels (multilabel)"
        }
        description += ". The ground truth (structure, noise transition matrix, annotator confusion matrices) is in the manifest."
        var recordSets: [JSONValue] = []
        if g.classCount > 0 {
            recordSets.append(.object([
                "@type": .string("cr:RecordSet"), "@id": .string("classes"), "name": .string("classes"),
                "description": .string("The classes, by id (the ids of the .npy files and the label_id columns) and name."),
                "key": .object(["@id": .string("classes/id")]),
                "field": .array([
                    .object(["@type": .string("cr:Field"), "@id": .string("classes/id"), "name": .string("id"), "dataType": .string("sc:Integer")]),
                    .object(["@type": .string("cr:Field"), "@id": .string("classes/name"), "name": .string("name"), "dataType": .string("sc:Text")]),
                ]),
                "data": .array(g.classNames.enumerated().map { .object(["classes/id": .int($0.offset), "classes/name": .string($0.element)]) }),
            ]))
        }
        if let table, let source = resources.first {
            let sourceKey = if case .files = source { "fileSet" } else { "fileObject" }
            recordSets.append(.object([
                "@type": .string("cr:RecordSet"), "@id": .string("rows"), "name": .string("rows"),
                "description": .string("One record per row of the table."),
                "field": .array(table.columns.map { column in
                    var field: [String: JSONValue] = [
                        "@type": .string("cr:Field"), "@id": .string("rows/\(column.name)"), "name": .string(column.name),
                        "dataType": .string(dataType(column)),
                        "source": .object([sourceKey: .object(["@id": .string(source.id)]),
                                           "extract": .object(["column": .string(column.name)])]),
                    ]
                    if isClassColumn(column.name) {
                        field["references"] = .object(["field": .object(["@id": .string(labelFormat == .id ? "classes/id" : "classes/name")])])
                    }
                    return .object(field)
                }),
            ]))
        }
        return .object([
            "@context": Self.context,
            "@type": .string("sc:Dataset"),
            "conformsTo": .string(Self.conformsTo),
            "name": .string("synthctl-\(g.name)"),
            "description": .string(description),
            "distribution": .array(resources.map { resource in
                switch resource {
                case .file(let name, let sha256, let encodingFormat):
                    .object(["@type": .string("cr:FileObject"), "@id": .string(name), "name": .string(name), "contentUrl": .string(name),
                             "encodingFormat": .string(encodingFormat), "sha256": .string(sha256)])
                case .files(let name, let includes, let encodingFormat):
                    .object(["@type": .string("cr:FileSet"), "@id": .string(name), "name": .string(name),
                             "includes": .string(includes), "encodingFormat": .string(encodingFormat)])
                }
            }),
            "recordSet": .array(recordSets),
        ])
    }

    /// The Croissant data type of a column's cells.
    func dataType(_ column: TableSchema.Column) -> String {
        if isClassColumn(column.name) { return labelFormat == .id ? "sc:Integer" : "sc:Text" }
        switch plan.featureDtypes[column.name] {
        case "int64": return "sc:Integer"
        case "bool": return "sc:Boolean"
        case "string": return "sc:Text"
        default: break
        }
        switch column.type {
        case .date: return "sc:Date"
        case .timestamp: return "sc:DateTime"
        default: break
        }
        switch column.type {
        case .integer: return "sc:Integer"
        case .boolean: return "sc:Boolean"
        default: return "sc:Float"
        }
    }
}
