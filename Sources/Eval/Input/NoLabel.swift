import SynthctlCore

/// Hugging Face's and scikit-learn's "no label": −1 in a class column.
///
/// Why: `datasets`' `ClassLabel` stores an example without a label as −1
/// (in Parquet, and as a bare −1 in `to_json`'s JSON Lines), and
/// scikit-learn's semi-supervised estimators (`sklearn.semi_supervised`,
/// "unlabeled points are marked as -1") read −1 the same way. So in every
/// format (CSV, TSV, JSON Lines, Parquet, `.npy`) and every role a label
/// whose canonical spelling (``LabelText``) is `-1` — an integer −1, the
/// text ` -1` or `-1.0` — is no label: a table's label or true label is a
/// missing value, an answer is left out (as crowd-kit leaves out NaN
/// answers), a gold row gives its item no gold. Other negative integers
/// among integer labels are no class id and are refused.
///
/// The one exception: a `--label-order`, or class names the file declares
/// (a Parquet footer's, or the manifest of a table `gen` wrote), that list
/// `-1` make it a class (a model fitted to labels −1, 0, 1 writes that name)
/// in a table or answers. A `.npy` of class ids numbers its classes 0…K−1
/// and takes no order: −1 there is always no label. So is a −1 stored as
/// an integer in a column whose ids a Parquet footer names (a `ClassLabel`
/// naming a class "-1", which is then the id the names give it): that is
/// how `datasets` stores "no label", whatever the names and the order.
enum NoLabel {
    /// The canonical spelling of the no-label id.
    static let spelling = "-1"

    /// How a missing value that is −1 is described in messages.
    static let described = "-1, no label"

    /// Whether canonical label `label` is the no-label id.
    static func holds(_ label: String) -> Bool { label.utf8.elementsEqual(spelling.utf8) }

    /// Whether canonical label bytes are the no-label id.
    static func holds(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 2 && bytes[0] == UInt8(ascii: "-") && bytes[1] == UInt8(ascii: "1")
    }

    /// Whether −1 means no label under a user's class order and the names
    /// a file declares: always, unless one of them lists `-1` as a class.
    static func applies(order: [String]?, declared: [String]? = nil) -> Bool {
        !(order?.contains(where: holds) ?? false) && !(declared?.contains(where: holds) ?? false)
    }

    /// How a user whose −1 is a real class (sentiment −1/0/1) keeps it: said
    /// in every note, because reading it as no label is otherwise silent.
    static let keepHint = "(-1 is a class only where the class order lists it)"

    /// The note on a run that read `count` no-label cells (each of one
    /// `unit`, in a column of `role`) as `what`: "3 rows have label -1 (no
    /// label), read as missing (-1 is a class only …)", said of the file.
    /// Where the file names its ids (`declared`), no order makes a stored
    /// −1 a class, so the note says instead why it is no label, and which
    /// id the class named "-1" has when one of the names is `-1`.
    static func note(_ count: Int, _ unit: String, role: String = "label", readAs what: String, declared: [String]? = nil) -> String {
        let start = "\(count) \(unit)\(count == 1 ? "" : "s") \(count == 1 ? "has" : "have") \(role) -1 (no label), \(what)"
        guard let declared else { return "\(start) \(keepHint)" }
        let named = declared.firstIndex(where: holds).map { "; the class named \"-1\" is id \($0)" } ?? ""
        return "\(start): a stored -1 is no label (the file names its classes\(named))"
    }

    /// Refuses a class order of names (`pos,neu,neg,-1`) that lists `-1`
    /// for a file naming its ids (`declared`, a `ClassLabel`'s names) with
    /// no class named "-1": a stored −1 there is no label whatever the
    /// order, so the entry would only add a class no row can hold, while
    /// the user meant to keep the −1 rows. An order of ids (`0,1,2,-1`) is
    /// left to ``LabelPositions/requireNamedIDs(_:file:column:)``, which
    /// refuses an id the file does not name; an order listing none of the
    /// names is matched as text.
    ///
    /// - Throws: ``InputError`` naming the file, the column and the file's classes.
    static func requireClass(inOrder order: [String]?, declared: [String]?, file: String, column: String) throws {
        guard let order, let declared, order.contains(where: holds), !declared.contains(where: holds),
              order.contains(where: { name in declared.contains { ExactText($0) == ExactText(name) } }) else { return }
        throw InputError(file: file, columnName: .named(column),
                         expected: "a label order listing the file's classes (\(NameList.describe(declared, noun: "names"))), -1 not among them (a stored -1 is no label where the file names its classes)",
                         found: "-1")
    }
}
