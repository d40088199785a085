import SynthctlCore

/// The columns of a dataset written as one table (`gen --format csv|jsonl`),
/// checked before anything is written, and how names become bytes.
///
/// Columns, in order: the features (`x0…`, or a fitted model's own names),
/// then `label`, `true_label`, `noisy` for a classifier's dataset (a
/// Parquet table of class names adds the ids beside them: `label`,
/// `label_id`, `true_label`, `true_label_id`, `noisy`), or one
/// 0/1 column per label (named by the label) for multilabel; `target` or
/// `target_0…` for regression; `annotator_0…` for an annotator pool.
///
/// Names come from the input when a model was fitted to a table: a feature
/// may be called `price, usd`, `say "hi"`, or `label`. So:
/// - every field of a CSV header or row is quoted per RFC 4180 §2 when it
///   holds a comma, a double quote, CR or LF (quotes inside doubled):
///   unquoted, `price, usd` made a header with more fields than the rows;
/// - every JSON Lines key and class name is a JSON string escaped per
///   RFC 8259 §7 (`"`, `\` and the controls below U+0020): unescaped, `say
///   "hi"` made rows that are not JSON;
/// - names that would make a table no reader can take are refused, in one
///   line, before any work: two columns with one name (a feature called
///   `label`, `annotator_0` or another feature's name), an empty name, a
///   NUL byte; and class names, which fill the label cells, must be
///   non-empty, free of NUL bytes and distinct, or two classes would read
///   back as one.
struct TableColumns {
    let names: [String]

    /// Throws a ``TableColumnError`` naming `output` when the plan's names cannot
    /// make a table. `idColumns`: `label_id` and `true_label_id` follow
    /// `label` and `true_label` (Parquet with class names).
    init(plan: DatasetPlan, output: String, idColumns: Bool = false) throws {
        let g = plan.generator
        let shape = ChunkShape(plan: plan)
        var columns: [(name: String, role: String)] = g.featureNames.enumerated().map { ($1, "feature \($0)") }
        if shape.classes > 0 {
            let labels = idColumns ? ["label", "label_id", "true_label", "true_label_id", "noisy"] : ["label", "true_label", "noisy"]
            columns += labels.map { ($0, "the \($0) column") }
        } else if shape.labelWidth > 0 {
            columns += g.classNames.enumerated().map { ($1, "label \($0) (a multilabel indicator column)") }
        }
        if shape.targets == 1 { columns.append(("target", "the target column")) }
        if shape.targets > 1 { columns += numberedNames("target_", shape.targets).map { ($0, "the \($0) column") } }
        columns += numberedNames("annotator_", shape.annotators).map { ($0, "the \($0) column") }

        var seen: [String: String] = [:]
        for column in columns {
            if column.name.isEmpty {
                throw TableColumnError(output: output, place: column.role, expected: "a column name", found: "an empty one")
            }
            if column.name.utf8.contains(0) {
                throw TableColumnError(output: output, place: column.role, expected: "a column name without NUL bytes", found: Self.shown(column.name))
            }
            if let first = seen[column.name] {
                throw TableColumnError(output: output, expected: "distinct column names in the table",
                                       found: "\(Self.shown(column.name)) for both \(first) and \(column.role) (the directory form, npy, has no column names to clash)")
            }
            seen[column.name] = column.role
        }
        if shape.classes > 0 {
            var classes: [String: Int] = [:]
            for (c, name) in g.classNames.enumerated() {
                if name.isEmpty { throw TableColumnError(output: output, place: "class \(c)", expected: "a class name for the label cells", found: "an empty one") }
                if name.utf8.contains(0) {
                    throw TableColumnError(output: output, place: "class \(c)", expected: "a class name without NUL bytes", found: Self.shown(name))
                }
                if let first = classes[name] {
                    throw TableColumnError(output: output, expected: "distinct class names for the label cells", found: "\(Self.shown(name)) for both class \(first) and class \(c)")
                }
                classes[name] = c
            }
        }
        names = columns.map(\.name)
    }

    /// A name in a message: quoted, controls and NUL escaped.
    static func shown(_ name: String) -> String {
        "\"\(name.escapingControlCharacters)\""
    }

    /// `field` as one CSV field (RFC 4180 §2.6–2.7): in double quotes, with
    /// each quote doubled, when it holds the delimiter (a comma, or a tab
    /// in tab-separated text), a double quote, CR or LF; unchanged
    /// otherwise, so ordinary tables keep their bytes.
    static func csvField(_ field: String, delimiter: UInt8 = 0x2C) -> String {
        guard field.utf8.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a JSON string (RFC 8259 §7): quoted, with `"`, `\` and
    /// the controls below U+0020 escaped.
    static func jsonString(_ text: String) -> String {
        var out = ""
        JSONValue.quote(text, into: &out)
        return out
    }
}
