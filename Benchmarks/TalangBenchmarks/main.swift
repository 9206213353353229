// Talang evaluation benchmarks: `swift run -c release TalangBenchmarks`.
//
// `swift run -c release TalangBenchmarks exists` runs only the cases whose name contains "exists".
//
// A small harness (no dependencies): each case is compiled once, warmed up, then evaluated in
// batches; the best batch's mean is reported in ns per evaluation (the minimum is the least
// disturbed by other processes on a shared machine). Results go in docs/PERFORMANCE.md.
import Foundation
import Talang

struct Case {
    let name: String
    let expression: String
    let target: Duration?
}

let sessionType = TalangType.object([
    "Total": .decimal,
    "CouponCode": .string,
    "CartItems": .list(.object(["SKU": .string, "Price": .decimal, "Quantity": .decimal, "Category": .string])),
    "Attributes": .object([:], open: true),
])
var environment = Environment.core
environment.bind("Session", sessionType)
environment.register(
    "couponValid", Signature([], returns: .boolean), description: "Benchmark stand-in for the engine's function."
) { _ in true }

func item(_ sku: String, _ price: String, _ quantity: Int, _ category: String) -> TalangValue {
    ["SKU": .string(sku), "Price": .decimal(Decimal(string: price) ?? 0), "Quantity": .decimal(Decimal(quantity)),
     "Category": .string(category)]
}
let session: TalangValue = [
    "Total": .decimal(Decimal(string: "149.95") ?? 0),
    "CouponCode": "SUMMER",
    "CartItems": [
        item("SKU-1", "19.99", 1, "shoes"), item("SKU-2", "5.00", 3, "socks"), item("SKU-3", "49.99", 1, "shirts"),
        item("SKU-4", "24.99", 2, "hats"), item("SKU-5", "9.99", 1, "bags"),
    ],
    "Attributes": ["Tier": "gold"],
]
let bindings = ["Session": session]

let cases = [
    Case(name: "comparison on a bound attribute", expression: #"[">", [".", "Session", "Total"], 100]"#,
         target: .nanoseconds(200)),
    Case(name: "exists over a 5-item cart (match on the last item)",
         expression: #"["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "SKU"], "SKU-5"]]]"#,
         target: .microseconds(2)),
    Case(name: "typical condition: coupon, total, category in cart",
         expression: #"["and", ["couponValid"], [">=", [".", "Session", "Total"], 100], ["exists", [".", "Session", "CartItems"], [["Item"], ["and", ["=", [".", "Item", "Category"], "hats"], [">=", [".", "Item", "Quantity"], 2]]]]]"#,
         target: nil),
    Case(name: "discount value: 20% of the total, rounded",
         expression: #"["round", ["*", [".", "Session", "Total"], ["/", 20, 100]], 2]"#, target: nil),
    Case(name: "sum of line totals over the cart",
         expression: #"["sum", [".", "Session", "CartItems"], [["Item"], ["*", [".", "Item", "Price"], [".", "Item", "Quantity"]]]]"#,
         target: nil),
]

func measure(_ compiled: CompiledExpression, iterations: Int) -> Duration {
    let clock = ContinuousClock()
    var sink = 0
    let elapsed = clock.measure {
        for _ in 0..<iterations {
            if case .boolean(true)? = try? compiled.evaluate(bindings: bindings) { sink &+= 1 }
        }
    }
    if sink == -1 { print("unreachable") }  // keeps the loop from being optimised away
    return elapsed
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

print("Talang benchmarks (ns per evaluation, best of 15 batches)\n")
print("| case | ns/eval | target |")
print("|---|---:|---:|")
var missed = false
// An optional argument runs only the cases whose name contains it (for profiling one case).
let filter = CommandLine.arguments.dropFirst().first
for benchmark in cases where filter.map({ benchmark.name.contains($0) }) ?? true {
    let compiled: CompiledExpression
    do {
        compiled = try Talang.compile(Talang.parse(benchmark.expression), in: environment)
        _ = try compiled.evaluate(bindings: bindings)
    } catch {
        print("| \(benchmark.name) | failed: \(error) | |")
        missed = true
        continue
    }
    // Size a batch to roughly 50 ms after warming up.
    _ = measure(compiled, iterations: 10_000)
    let probe = nanoseconds(measure(compiled, iterations: 10_000)) / 10_000
    let iterations = max(1_000, Int(50_000_000 / max(probe, 1)))
    var best = Double.infinity
    for _ in 0..<15 {
        best = min(best, nanoseconds(measure(compiled, iterations: iterations)) / Double(iterations))
    }
    var targetText = "—"
    if let target = benchmark.target {
        let limit = nanoseconds(target)
        targetText = "≤ \(Int(limit)) \(best <= limit ? "✓" : "✗")"
        missed = missed || best > limit
    }
    print("| \(benchmark.name) | \(String(format: "%.0f", best)) | \(targetText) |")
}
// Compiling is done once per ruleset change, not per request; measured for scale.
if filter == nil || "compile".contains(filter ?? "") {
    let source = cases[2].expression
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<5 {
        let iterations = 2_000
        let elapsed = clock.measure {
            for _ in 0..<iterations { _ = try? Talang.compile(Talang.parse(source), in: environment) }
        }
        best = min(best, nanoseconds(elapsed) / Double(iterations))
    }
    print("| parse + check + compile the typical condition (once per ruleset) | \(String(format: "%.0f", best)) | — |")
}
if missed { print("\nSome targets were missed.") }
