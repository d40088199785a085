/// Which columns of a long-form answers table (and of its gold table) hold
/// the item ids, worker ids, labels and gold labels, by name; nil keeps the
/// names the ecosystem uses, tried in order:
///
/// | role | default names | crowd-kit |
/// | --- | --- | --- |
/// | item ids (answers and gold) | `item`, `task` | `task` |
/// | worker ids | `worker`, `annotator` | `worker` |
/// | labels | `label`, `answer` | `label` |
/// | gold labels | `truth`, `label`, `gold` | (`true_labels` is a Series) |
///
/// A name given is the only one accepted: a table without it is refused,
/// listing the columns it has.
public struct AnswerColumns: Sendable, Equatable {
    public var item: String?
    public var worker: String?
    public var label: String?
    public var truth: String?

    public init(item: String? = nil, worker: String? = nil, label: String? = nil, truth: String? = nil) {
        self.item = item
        self.worker = worker
        self.label = label
        self.truth = truth
    }

    /// The names accepted for each answers column, and its role for messages.
    var answers: [([String], String)] {
        [(item.map { [$0] } ?? ["item", "task"], "item ids"),
         (worker.map { [$0] } ?? ["worker", "annotator"], "worker ids"),
         (label.map { [$0] } ?? ["label", "answer"], "labels")]
    }

    /// The names accepted for each gold column, and its role for messages.
    var gold: [([String], String)] {
        [(item.map { [$0] } ?? ["item", "task"], "item ids"),
         (truth.map { [$0] } ?? ["truth", "label", "gold"], "gold labels")]
    }
}
