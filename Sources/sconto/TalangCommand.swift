import ArgumentParser
import Foundation
import PromotionEngine
import Talang

/// `sconto talang`: evaluate rule expressions and write the function reference.
struct TalangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talang",
        abstract: "Work with Talang, the rule language.",
        subcommands: [Eval.self, Docs.self]
    )

    /// `sconto talang eval '(+ 1 (. Session Total))' --bind 'Session={"Total": 2}'`
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate an expression (JSON or text form) and print the result as JSON.",
            discussion: """
                Bindings are JSON; their types are inferred from the values (objects are closed, so a \
                misspelt attribute is a check error). Strings holding RFC 3339 timestamps become times.
                Errors go to standard error with the JSON pointer of the offending node; the exit status is 1.
                """
        )

        @Argument(help: "The expression, e.g. '[\"+\", 1, 2]' or '(+ 1 2)'.")
        var expression: String

        @Option(name: .customLong("bind"), help: ArgumentHelp("A root binding.", valueName: "NAME=JSON"))
        var bindings: [String] = []

        @Option(help: "The current time (RFC 3339) for functions like `days`; the clock by default.")
        var now: String?

        func run() throws {
            var environment = Environment.core
            var values: [String: TalangValue] = [:]
            for binding in bindings {
                guard let separator = binding.firstIndex(of: "="), separator != binding.startIndex else {
                    throw fail("--bind takes NAME=JSON, got \(binding)")
                }
                let name = String(binding[..<separator])
                let value: TalangValue
                do {
                    value = try TalangValue(jsonText: String(binding[binding.index(after: separator)...])).readingTimes
                } catch {
                    throw fail("--bind \(name): \(error.diagnostics.map(\.message).joined(separator: "; "))")
                }
                values[name] = value
                environment.bind(name, .inferred(from: value))
            }
            var time: TalangTime?
            if let now {
                guard let parsed = TalangTime(rfc3339: now) else { throw fail("--now must be an RFC 3339 time") }
                time = parsed
            }
            do {
                let compiled = try Talang.compile(Talang.parse(expression), in: environment)
                let result = try compiled.evaluate(bindings: values, now: time)
                print(result.jsonText)
            } catch {
                for diagnostic in error.diagnostics {
                    let location = diagnostic.pointer.isEmpty ? " at the root" : " at \(diagnostic.pointer)"
                    printError("\(error.stage) error\(location): \(diagnostic.message)")
                }
                throw ExitCode.failure
            }
        }

        private func fail(_ message: String) -> ExitCode {
            printError("error: \(message)")
            return .failure
        }
    }

    /// `sconto talang docs --output docs/talang.md`
    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the function reference (docs/talang.md), generated from the function declarations."
        )

        @Option(help: "Where to write the Markdown; standard output by default.")
        var output: String?

        @Flag(help: "The promotion engine's rule functions and bindings instead (docs/rules.md).")
        var rules = false

        func run() throws {
            let markdown = rules ? EngineLanguage.referenceMarkdown() : Documentation.markdown()
            if let output {
                try markdown.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(markdown, terminator: "")
            }
        }
    }
}

private func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
