//! Child processes of this same program: the `--procs` shards, and the attacker of an
//! `attack` whose sockets do not fit beside its legitimate waiters. Each child runs one shard
//! of the parent's command line (`--shard i/N`, the parent's event and epoch) and writes its raw
//! report to a file that the parent merges.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};

use super::read_raw;
use crate::cli::{Cli, Shard};
use crate::now_us;
use crate::raw::Raw;

/// Runs the workload as `--procs` children of this same program and merges their raws.
pub(super) async fn shards(
    cli: &Cli,
    argv: &[String],
    event: &str,
    epoch_ms: u64,
) -> anyhow::Result<Raw> {
    let c = &cli.common;
    let mut kids = Kids::new(argv)?;
    for index in 0..c.procs {
        let shard = Shard {
            index,
            count: c.procs,
        };
        kids.spawn(shard, event, epoch_ms, &[])?;
    }
    kids.finish(Duration::from_secs(c.max_duration + 60)).await
}

/// The attacker of an attack run, alone in a child process of this same program.
pub(super) async fn attacker(
    cli: &Cli,
    argv: &[String],
    event: &str,
    epoch_ms: u64,
) -> anyhow::Result<Raw> {
    let mut kids = Kids::new(argv)?;
    let shard = Shard { index: 0, count: 1 };
    kids.spawn(shard, event, epoch_ms, &["--part", "attacker"])?;
    kids.finish(Duration::from_secs(cli.common.max_duration + 60))
        .await
}

/// Child processes of this same program, each running one shard of the parent's command line
/// and writing its raw report to a file of its own.
struct Kids {
    exe: PathBuf,
    /// Where the children write their raw reports; removed with this.
    dir: PathBuf,
    /// The parent's arguments without what each child gets its own value of.
    base: Vec<String>,
    running: Vec<(tokio::process::Child, PathBuf)>,
}

impl Kids {
    fn new(argv: &[String]) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("own executable")?;
        let name = exe.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with("usher-load") {
            bail!("child processes re-execute the usher-load binary; this is {name}");
        }
        let dir =
            std::env::temp_dir().join(format!("usher-load-{}-{}", std::process::id(), now_us()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            exe,
            dir,
            base: child_args(argv),
            running: Vec::new(),
        })
    }

    /// Starts the child of `shard`, with `extra` arguments after the parent's.
    fn spawn(
        &mut self,
        shard: Shard,
        event: &str,
        epoch_ms: u64,
        extra: &[&str],
    ) -> anyhow::Result<()> {
        let out = self.dir.join(format!("shard-{}.json", shard.index));
        let mut cmd = tokio::process::Command::new(&self.exe);
        cmd.args(&self.base)
            .args(["--shard", &format!("{}/{}", shard.index, shard.count)])
            .arg("--json")
            .arg(&out)
            .args([
                "--event",
                event,
                "--epoch-ms",
                &epoch_ms.to_string(),
                "--quiet",
            ])
            .args(extra)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true);
        self.running
            .push((cmd.spawn().context("starting a shard")?, out));
        Ok(())
    }

    /// Waits for every child (killing any still running after `limit`) and merges their raws.
    async fn finish(mut self, limit: Duration) -> anyhow::Result<Raw> {
        let mut raw = Raw::default();
        let mut failed = Vec::new();
        for (i, (mut kid, out)) in std::mem::take(&mut self.running).into_iter().enumerate() {
            match tokio::time::timeout(limit, kid.wait()).await {
                Ok(Ok(status)) if status.success() => raw.merge(read_raw(&out)?),
                Ok(Ok(status)) => failed.push(format!("shard {i}: {status}")),
                Ok(Err(e)) => failed.push(format!("shard {i}: {e}")),
                Err(_) => {
                    let _ = kid.kill().await;
                    failed.push(format!("shard {i}: still running after {limit:?}, killed"));
                }
            }
        }
        if !failed.is_empty() {
            bail!("shards failed: {}", failed.join("; "));
        }
        Ok(raw)
    }
}

impl Drop for Kids {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The parent's arguments without what each child gets its own value of.
fn child_args(argv: &[String]) -> Vec<String> {
    const WITH_VALUE: [&str; 7] = [
        "--part",
        "--procs",
        "--json",
        "--svg",
        "--event",
        "--epoch-ms",
        "--shard",
    ];
    let mut out = Vec::new();
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        if WITH_VALUE.contains(&a.as_str()) {
            it.next();
        } else if !WITH_VALUE.iter().any(|f| a.starts_with(&format!("{f}="))) {
            out.push(a.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_get_the_parents_arguments_without_their_own() {
        let argv: Vec<String> = [
            "usher-load",
            "--procs",
            "4",
            "waiters",
            "--json=r.json",
            "--svg",
            "c.svg",
            "-n",
            "100",
            "--event",
            "e",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(child_args(&argv), ["waiters", "-n", "100"]);
    }
}
