/// How a table (`csv`, `jsonl`, `parquet`) writes class labels: the class
/// names of the manifest (`class_0`, `upper_moon`, a fitted model's `cat`),
/// so that a table read alone still says which class a row is, or the
/// integer class ids of the directory form (0 ..< K).
public enum LabelFormat: String, Sendable, CaseIterable {
    case name
    case id
}
