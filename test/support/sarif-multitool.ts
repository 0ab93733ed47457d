/**
 * Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool), run as GitHub's own
 * validation does: `validate --rule-kind "Gh;Sarif"`. Its bundled native binary is called
 * directly, because the npm wrapper runs it through a shell, which splits the rule kinds
 * at the semicolon. The tool exits 0 whatever it finds, so the verdict is read from the
 * SARIF log it writes.
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface MultitoolIssue {
  ruleId: string;
  level: string;
  message: string;
}

function multitoolBinary(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
  const binary = join(packageDir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    // npm --ignore-scripts skips the package's own `chmod u+x` postinstall.
    chmodSync(binary, 0o755);
  }
  return binary;
}

interface ValidationLog {
  runs: {
    tool: { driver: { rules?: { id: string; defaultConfiguration?: { level?: string } }[] } };
    results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[];
  }[];
}

/** Every issue the Multitool reports for `sarif` (a SARIF document as text), with its effective level. */
export async function validateSarif(sarif: string): Promise<MultitoolIssue[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lbcheck-sarif-'));
  const input = join(dir, 'report.sarif');
  const output = join(dir, 'validation.sarif');
  await writeFile(input, sarif);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(multitoolBinary(), ['validate', '--rule-kind', 'Gh;Sarif', input, '--output', output, '--log', 'ForceOverwrite'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`Sarif.Multitool exited with ${code}:\n${log}`))));
  });
  const [run] = (JSON.parse(await readFile(output, 'utf8')) as ValidationLog).runs;
  const defaults = new Map((run?.tool.driver.rules ?? []).map((rule) => [rule.id, rule.defaultConfiguration?.level ?? 'warning']));
  return (run?.results ?? []).map((result) => ({
    ruleId: result.ruleId,
    level: result.level ?? defaults.get(result.ruleId) ?? 'warning',
    message: result.message.text ?? [result.message.id, ...(result.message.arguments ?? [])].join(' '),
  }));
}
