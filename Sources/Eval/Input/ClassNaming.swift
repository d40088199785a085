import SynthctlCore

/// How one file's labels name their classes, each file decoded with its
/// own declared names (``DeclaredClassNames``), never another file's.
///
/// Why: two `datasets`-written files may list their `ClassLabel` names in
/// different orders, so id 0 of one is not id 0 of the other; and a file
/// of bare ids cannot be matched with a file of names at all. So each
/// file's integer ids become its own names first, classes are then matched
/// by name across files (answers and gold; a human and a synthetic set),
/// and a file of bare ids meeting a file of names is refused
/// (``requireAgreement(_:_:)``) instead of scoring every label wrong.
struct ClassNaming {
    enum Kind {
        /// Integer ids decoded with the file's declared names.
        case declared(DeclaredClassNames)
        /// Labels that are not all integers: names as written.
        case text
        /// Integer ids that nothing names: the ids are the classes.
        case bareIDs
    }

    let kind: Kind
    /// The class name of each interned value of the file, by interned id.
    let names: [String]

    /// Whether the file's classes are bare integer ids (``Kind/bareIDs``).
    var isBareIDs: Bool { if case .bareIDs = kind { true } else { false } }

    /// The names the file declares, in their id order (``Kind/declared``).
    var declaredNames: [String]? { if case .declared(let d) = kind { d.names } else { nil } }

    /// The file's classes as a message lists them: declared names in their
    /// id order, else in label order (numeric when all are numbers, else by
    /// bytes), never in the order they happened to appear.
    var listed: [String] {
        if let declaredNames { return declaredNames }
        var values = ValueInterner()
        for name in names { _ = values.id(of: name) }
        return values.orderedRanks().names
    }

    /// The naming of the interned labels `values` of one file. Labels that
    /// are all integers are ids: decoded with `declared()` (evaluated only
    /// then) when the file declares names, where an id with no name is
    /// refused; else bare ids, where a negative id is refused (−1 never
    /// gets here: it is no label, ``NoLabel``). `firstSeen(v)` is where
    /// interned value v first appeared, for the message.
    ///
    /// - Throws: ``InputError`` naming the file, row and column of the
    ///   first offending id.
    static func of(_ values: ValueInterner, declared: () throws -> DeclaredClassNames?,
                   firstSeen: (Int) -> (file: String, at: RowPosition, column: String)) throws -> ClassNaming {
        let spelled = (0..<values.count).map(values.name)
        guard spelled.allSatisfy(LabeledFeatures.isIntegerSpelling) else { return ClassNaming(kind: .text, names: spelled) }
        let value = spelled.map { Int($0) ?? Int.max }  // beyond Int: above any id
        if let declared = try declared() {
            if let bad = value.indices.first(where: { value[$0] < 0 || value[$0] >= declared.names.count }) {
                let seen = firstSeen(bad)
                throw InputError(file: seen.file, at: seen.at, column: seen.column,
                                 expected: "a class id in 0..<\(declared.names.count) (the classes named in \(declared.origin))", found: spelled[bad])
            }
            return ClassNaming(kind: .declared(declared), names: value.map { declared.names[$0] })
        }
        if let bad = value.indices.first(where: { value[$0] < 0 }) {
            let seen = firstSeen(bad)
            throw InputError(file: seen.file, at: seen.at, column: seen.column,
                             expected: "a class id ≥ 0 (-1 is no label)", found: spelled[bad])
        }
        return ClassNaming(kind: .bareIDs, names: spelled)
    }

    /// Refuses two label sources of which one holds bare ids and the other
    /// names its classes (text labels, or declared names, of which one at
    /// least is no integer), in one line naming both: matched by name they
    /// would share no class, and no rule says which id is which name.
    /// Names that are all integers (a model fitted to ids 0, 1, 2 names its
    /// classes "0", "1", "2") meet bare ids by name. `names` are each
    /// source's class names.
    static func requireAgreement(_ a: (path: String, bareIDs: Bool, names: [String]),
                                 _ b: (path: String, bareIDs: Bool, names: [String])) throws {
        guard a.bareIDs != b.bareIDs else { return }
        let (bare, named) = a.bareIDs ? (a, b) : (b, a)
        guard !named.names.allSatisfy(LabeledFeatures.isIntegerSpelling) else { return }
        let ids = bare.names.sorted { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }
        throw InputError(file: bare.path, expected: "class names, as \(named.path) gives them (\(NameList.describe(named.names, noun: "classes")))",
                         found: "bare class ids that nothing names (\(NameList.describe(ids, noun: "ids"))); give names in both files, or ids in both")
    }
}
