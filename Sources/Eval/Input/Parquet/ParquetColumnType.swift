import SynthctlCore

extension ParquetMetadata.Column {
    /// The column's ``ColumnType`` by its physical and logical type (the
    /// table in ``ColumnType``'s documentation): a Parquet file states its
    /// types, so its content is not looked at. A categorical column's
    /// categories are filled in from its values when it is read.
    var columnType: ColumnType {
        if list != nil { return .numeric }
        switch annotation {
        case .decimal, .time, .float16: return .numeric
        case .date: return .date
        case .timestamp, .int96: return .timestamp
        case .unsigned: return .integer
        case .none, .refused: break
        }
        switch type {
        case .boolean: return .boolean
        case .int32, .int64: return .integer
        case .int96: return .timestamp
        case .float, .double: return .numeric
        case .byteArray, .fixedLenByteArray: return .categorical(categories: [])
        }
    }
}
