import SynthctlCore

/// A class order that a table's file declares for its label column: an
/// ordered dictionary in a Parquet file, as pandas writes an ordered
/// `Categorical` (`pd.Categorical(…, categories=["low", "medium", "high"],
/// ordered=True)`), Polars an `Enum`, and pyarrow a `DictionaryArray` with
/// `ordered=True`.
///
/// Why: ordinal α on text labels needs an order of the values, and byte
/// order (`high` < `low` < `medium`) is none. When the file states one, it
/// is used as `--label-order` would be (every label must be listed; a
/// listed label nobody gave is a class too).
///
/// Where it is read (``ParquetFile/declaredOrder(ofColumn:)``): the flag
/// is the `isOrdered` of the column's `DictionaryEncoding` in the footer's
/// `ARROW:schema` (``ArrowSchemaMessage``); the categories, in order, are
/// the column's dictionary page, which pyarrow and Polars write whole
/// (categories no row uses included, checked in
/// `Tests/Oracles/declared_order.py`), and which must be the same in every
/// row group. A category a writer left out of every dictionary page cannot
/// be known: the Arrow schema holds the flag, not the categories. Unordered
/// dictionaries, and files without an Arrow schema (DuckDB's `ENUM`, which
/// it writes as plain strings), declare no order.
///
/// Only a dictionary of strings keeps its order: Parquet stores a
/// BYTE_ARRAY dictionary as the Arrow dictionary itself, but an ordered
/// dictionary of anything else (pandas' `pd.Categorical([…],
/// categories=[3, 1, 2, 7], ordered=True)`) as its plain values (INT64),
/// whose dictionary page is Parquet's own, in order of first appearance,
/// and the categories are in no part of the file (pandas and pyarrow read
/// the column back as int64). Such a column's order is not known
/// (``labels`` nil): its labels take numeric order as any integer label
/// does, and ordinal α needs the order given.
struct DeclaredClassOrder: Sendable, Equatable {
    /// The labels in class order, spelled as labels are (``LabelText``);
    /// nil for an ordered dictionary whose order Parquet does not keep.
    let labels: [String]?
    /// Where the order comes from, for notes ("the ordered dictionary of column \"label\"";
    /// without labels, "an ordered dictionary of integers in column \"label\"").
    let origin: String

    /// Why an order without labels is none, for messages.
    static let notKept = "whose order Parquet does not keep (it stores the values, not the categories)"
}

extension ParquetFile {
    /// The order the file declares for column `name`, or nil when it
    /// declares none (no `ARROW:schema`, a field that is not an ordered
    /// dictionary); an order without ``DeclaredClassOrder/labels`` for an
    /// ordered dictionary whose values are not strings.
    ///
    /// - Throws: ``InputError`` in one line naming the file: an
    ///   `ARROW:schema` that is not an Arrow IPC Schema message; row
    ///   groups whose dictionaries differ (naming the column and row
    ///   group); categories that are no labels or repeat once spelled.
    func declaredOrder(ofColumn name: String) throws -> DeclaredClassOrder? {
        guard let encoded = meta.keyValues["ARROW:schema"] else { return nil }
        let schema: ArrowSchemaMessage
        do { schema = try ArrowSchemaMessage(base64: encoded) } catch {
            throw InputError(file: path, field: "the footer's ARROW:schema", expected: "an Arrow IPC Schema message in base64", found: error.found)
        }
        guard schema.fields.first(where: { $0.name == name })?.dictionaryOrdered == true,
              let c = columnNames.firstIndex(of: name) else { return nil }
        let values: String
        switch _ParquetColumnDecoder(column: meta.columns[c], path: path).storage {
        case .strings: values = ""
        case .integers: values = "integers"
        case .floats: values = "numbers"
        case .booleans: values = "booleans"
        }
        guard values.isEmpty else {
            return DeclaredClassOrder(labels: nil, origin: "an ordered dictionary of \(values) in column \"\(name)\"")
        }
        guard let pages = try dictionaryPages(c), let first = pages.first else { return nil }
        if let g = pages.firstIndex(where: { $0 != first }) {
            throw InputError(file: path, columnName: .named(name),
                             expected: "one ordered dictionary in every row group (row group 0's: \(NameList.describe(first, noun: "categories")))",
                             found: "another in row group \(g) (\(NameList.describe(pages[g], noun: "categories"))): the declared order is ambiguous")
        }
        switch LabelOrder.given(labels: first) {
        case .success(let labels):
            return DeclaredClassOrder(labels: labels, origin: "the ordered dictionary of column \"\(name)\" in its Parquet file")
        case .failure(let problem):
            throw InputError(file: path, columnName: .named(name), expected: "an ordered dictionary of distinct labels", found: problem.description)
        }
    }
}
