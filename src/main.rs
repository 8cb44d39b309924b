fn main() -> anyhow::Result<()> {
    usher::cli::main()
}
