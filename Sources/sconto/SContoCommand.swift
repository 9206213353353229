import ArgumentParser

/// `sconto`: the promotion engine's one binary.
@main
struct SContoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sconto",
        abstract: "Sconto, a self-hosted promotion engine compatible with Talon.One's APIs.",
        subcommands: [ServeCommand.self, TalangCommand.self, BenchCeilingCommand.self, BenchLoadCommand.self, BenchCommitsCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
