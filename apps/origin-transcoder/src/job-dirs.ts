// The origin's only footprint on its own disk: one temp dir per job under the work dir
// (`job-<pid>-…`), where the source is downloaded and ffmpeg runs (its cwd). A job removes its dir
// when it ends; dirs of origin processes that died (SIGKILL, OOM) are swept at the next start.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

export async function makeJobDir(workDir: string): Promise<string> {
  await mkdir(workDir, { recursive: true });
  return mkdtemp(join(workDir, `job-${process.pid}-`));
}

export async function removeJobDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** Removes the job dirs of origin processes that are gone. */
export async function sweepStaleJobDirs(workDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(workDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(name.match(/^job-(\d+)-/)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await removeJobDir(join(workDir, name));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
