/// The row indices of each class, ascending within a class: the grouping
/// every per-class computation (stratified splits and folds, per-class fits
/// and metrics) starts from. Labels must lie in 0..<classes.
public func rowsByClass(_ labels: [Int32], classes: Int) -> [[Int]] {
    var out = [[Int]](repeating: [], count: classes)
    for (i, y) in labels.enumerated() { out[Int(y)].append(i) }
    return out
}
