#!/usr/bin/env python3
"""JSONValue's writer alone, at two revisions side by side: the time to write
a report shaped like `score`'s on 200 annotators (2.76 MB: 19,900 pair
objects of 4 fields, 200 annotator objects with a 4 x 4 confusion matrix).

Each revision's `Sources/SynthctlCore/JSON/JSONValue.swift` (from `git show`,
or the working tree for `--new worktree`) is compiled alone with `swiftc -O`
beside a driver and two stand-ins (`Parallel`, run serially: one thread;
`Matrix`), so the figure is the writer's, not the process's. The driver
builds the same values for both (a fixed linear congruential sequence),
writes them `--renders` times and prints the best time and a hash of the
bytes: the script checks that both revisions wrote the same bytes. The two
programs run alternately, `--repeat` times each, under the allocator
settings synthctl sets at start (mmap and trim thresholds of 32 MiB).

Usage: python3 benchmarks/json_writing.py [--old 4f712bf] [--new worktree] [--repeat 3] [--renders 60]
Needs: swiftc (the toolchain that builds synthctl) and git.
"""
import argparse, os, subprocess, sys, tempfile
from machine import machine_tag

STAND_INS = r"""
enum Parallel {
    static func forEachTakingNext(_ n: Int, threads: Int, _ body: (Int) -> Void) { for i in 0..<n { body(i) } }
    static func range(_ p: Int, of parts: Int, count: Int) -> Range<Int> { (p * count / parts)..<((p + 1) * count / parts) }
}
public struct Matrix { public var nested: [[Double]] }
"""

DRIVER = r"""
import Foundation
var state: UInt64 = 42
func next() -> Double {  // a fixed sequence in [0, 1): the same values for both revisions
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Double(state >> 11) / Double(1 << 53)
}
var pairs = [JSONValue]()
for a in 0..<200 { for b in (a + 1)..<200 {
    pairs.append(.object(["a": .string(String(a)), "b": .string(String(b)), "shared_items": .int(20 + Int(next() * 60)), "kappa": .double(next())]))
}}
var annotators = [JSONValue]()
for a in 0..<200 {
    annotators.append(.object(["agreement_with_consensus": .double(next()), "chance_agreement": .double(next()), "estimated_accuracy": .double(next()),
        "estimated_confusion": .array((0..<4).map { _ in .array((0..<4).map { _ in .double(next()) }) }), "flag": .null, "id": .string(String(a)), "labels": .int(2500)]))
}
let report = JSONValue.object(["annotations": .object(["annotator_pairs": .object(["pairs": .array(pairs), "pairs_below_minimum": .int(0)]), "annotators": .array(annotators)])])
let renders = Int(CommandLine.arguments[1])!
var best = Double.infinity, bytes = [UInt8]()
for _ in 0..<renders {
    let start = DispatchTime.now().uptimeNanoseconds
    bytes = report.fileContents(threads: 1)
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}
var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a of the bytes
for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
print(bytes.count, String(hash, radix: 16), best)
"""


def build(revision, directory):
    """Compiles the writer of `revision` with the driver; returns the program's path."""
    source = os.path.join(directory, "JSONValue.swift")
    path = "Sources/SynthctlCore/JSON/JSONValue.swift"
    if revision == "worktree":
        with open(os.path.join(os.path.dirname(__file__), "..", path)) as f:
            text = f.read()
    else:
        text = subprocess.run(["git", "show", f"{revision}:{path}"], check=True, capture_output=True, text=True).stdout
    for name, content in [("JSONValue.swift", text), ("StandIns.swift", STAND_INS), ("main.swift", DRIVER)]:
        with open(os.path.join(directory, name), "w") as f:
            f.write(content)
    program = os.path.join(directory, "json-writing")
    subprocess.run(["swiftc", "-O", "-wmo", "-package-name", "synthctl", source, os.path.join(directory, "StandIns.swift"),
                    os.path.join(directory, "main.swift"), "-o", program], check=True)
    return program


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default="4f712bf63eb0634ab01b9f304c5bcb0605697412")
    ap.add_argument("--new", default="worktree")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--renders", type=int, default=60)
    a = ap.parse_args()
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(32 << 20), MALLOC_TRIM_THRESHOLD_=str(32 << 20))
    with tempfile.TemporaryDirectory(prefix="synthctl-json-") as tmp:
        programs = {}
        for label in ("old", "new"):
            os.makedirs(os.path.join(tmp, label))
            programs[label] = build(getattr(a, label), os.path.join(tmp, label))
        results = {"old": [], "new": []}
        for _ in range(a.repeat):
            for label, program in programs.items():
                size, digest, best = subprocess.run([program, str(a.renders)], env=env, check=True, capture_output=True,
                                                    text=True).stdout.split()
                results[label].append((int(size), digest, float(best)))
    outputs = {(r[0], r[1]) for rs in results.values() for r in rs}
    if len(outputs) != 1:
        sys.exit(f"the two revisions wrote different bytes: {sorted(outputs)}")
    size = outputs.pop()[0]
    tag = machine_tag()
    print(f"JSONValue.fileContents(threads: 1) of a {size / 1e6:.2f} MB report, best of {a.renders} writes, {a.repeat} runs alternating:")
    for label in ("old", "new"):
        times = ", ".join(f"{r[2]:.2f}" for r in results[label])
        print(f"{label:4} {getattr(a, label)[:12]:12} {times} ms  {tag}")
    print("the same bytes from both")


if __name__ == "__main__":
    main()
