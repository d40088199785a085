extension ParquetMetadata {
    /// A top-level field holding a list of floats per row — an embedding —
    /// and how its leaf's definition levels say a row's list is null, empty,
    /// or holds a null element (LogicalTypes.md, "Lists"). Its repetition
    /// levels are 0 (a row's first entry) or 1 (the same row's next).
    ///
    /// The shapes read, as pyarrow, Polars, DuckDB and Hugging Face
    /// `datasets` write `list<float>`, `large_list`, `fixed_size_list`,
    /// `Array(Float32, d)` and `Sequence(Value("float32"))`, and as
    /// LogicalTypes.md's backward-compatibility rules read older files:
    ///
    ///     <optional|required> group NAME (LIST) {       3 levels
    ///       repeated group list { <optional|required> float|double element; } }
    ///     <optional|required> group NAME (LIST) {       2 levels (legacy)
    ///       repeated float|double array; }
    ///     repeated float|double NAME;                     1 level (legacy)
    ///
    /// A repeated group named `array` or `NAME_tuple` holds a struct of one
    /// field by those rules, not a float, and is refused like any nested field.
    struct ListLevels: Equatable {
        /// A definition level below this: the row's list is null (0 when the field is required).
        let nullBelow: Int
        /// Below this (and not null): the row's list is empty.
        let emptyBelow: Int
        /// Equal to this: a value; from ``emptyBelow`` up to it: a null element.
        let maxDefinition: Int
        /// The number of bits of a definition level.
        var definitionBits: Int { Int.bitWidth - maxDefinition.leadingZeroBitCount }
    }

    /// The list shape of the subtree `elements` (a top-level field and its
    /// descendants, depth first), or nil when it is not a list of floats.
    static func floatList(_ elements: ArraySlice<SchemaElement>) -> (levels: ListLevels, leaf: SchemaElement)? {
        let top = elements[elements.startIndex]
        let leaf = elements[elements.endIndex - 1]
        let isLeafFloat = leaf.type == PhysicalType.float.rawValue || leaf.type == PhysicalType.double.rawValue
        guard isLeafFloat, leaf.converted == nil, leaf.logical == nil || leaf.logical == Annotation.none else { return nil }
        let optional: Int32 = 1, repeated: Int32 = 2
        if elements.count == 1 {
            guard top.repetition == repeated else { return nil }
            return (ListLevels(nullBelow: 0, emptyBelow: 1, maxDefinition: 1), leaf)
        }
        let isList = top.logical == .refused("LIST") || (top.logical == nil && top.converted == 3)
        guard isList, top.children == 1, top.repetition != repeated else { return nil }
        let null = top.repetition == optional ? 1 : 0
        if elements.count == 2 {
            guard leaf.repetition == repeated else { return nil }
            return (ListLevels(nullBelow: null, emptyBelow: null + 1, maxDefinition: null + 1), leaf)
        }
        let middle = elements[elements.startIndex + 1]
        guard elements.count == 3, middle.repetition == repeated, middle.children == 1,
              middle.name != "array", middle.name != "\(top.name)_tuple", leaf.repetition != repeated else { return nil }
        return (ListLevels(nullBelow: null, emptyBelow: null + 1, maxDefinition: null + 1 + (leaf.repetition == optional ? 1 : 0)), leaf)
    }
}
