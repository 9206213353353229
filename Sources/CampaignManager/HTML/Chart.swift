import Foundation

/// A bar chart as inline SVG, drawn on the server (no script, no library): one bar per period, the largest
/// value at full height, the first and last period named under the axis.
enum Chart {
    struct Point {
        var label: String
        var value: Decimal
    }

    static let width = 600, height = 160, axis = 20

    static func bars(_ title: String, id: String, points: [Point], total: String) -> HTML {
        let largest = points.map(\.value).max() ?? 0
        let scale = largest > 0 ? Double(height - axis - 10) / NSDecimalNumber(decimal: largest).doubleValue : 0
        let slot = Double(width) / Double(max(points.count, 1))
        return tag("figure", ["class": "chart", "id": id]) {
            tag("figcaption") {
                tag("strong") { title }
                " · total "
                tag("span", ["class": "total"]) { total }
            }
            tag("svg", ["viewBox": "0 0 \(width) \(height)", "role": "img",
                        "aria-label": "\(title) per day, largest \(largest)"]) {
                for (index, point) in points.enumerated() where point.value > 0 {
                    let barHeight = max(1, NSDecimalNumber(decimal: point.value).doubleValue * scale)
                    tag("rect", ["x": format(Double(index) * slot + slot * 0.1), "width": format(slot * 0.8),
                                 "y": format(Double(height - axis) - barHeight), "height": format(barHeight),
                                 "class": "bar"]) {
                        tag("title") { "\(point.label): \(point.value)" }
                    }
                }
                tag("line", ["x1": "0", "x2": "\(width)", "y1": "\(height - axis)", "y2": "\(height - axis)",
                             "class": "axis"])
                if let first = points.first, let last = points.last {
                    tag("text", ["x": "2", "y": "\(height - 4)", "class": "tick"]) { first.label }
                    tag("text", ["x": "\(width - 2)", "y": "\(height - 4)", "text-anchor": "end", "class": "tick"]) {
                        last.label
                    }
                }
            }
        }
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
