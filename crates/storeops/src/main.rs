//! The `storeops` command-line binary.

fn main() -> anyhow::Result<()> {
    Ok(())
}
