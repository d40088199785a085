import SynthctlCore

extension FittedColumns.Column {
    /// The column's type in a table (``ColumnType``): what `gen --model`
    /// writes it as (integers as integers, booleans as true/false,
    /// categories by their names, dates and timestamps as such: ``FittedTime``) and the manifest's schema records, so
    /// that a reader of sampled rows types them as it would type the table.
    public var columnType: ColumnType {
        if let time { return time.columnType }
        return switch kind {
        case .continuous: .numeric
        case .integer: .integer
        case .boolean: .boolean
        case .categorical: .categorical(categories: categories)
        }
    }
}
