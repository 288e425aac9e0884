/**
 * The fixed record set that the tests compare with recorded qemu-riscv32
 * results (`expected_seed1.txt.gz`, one output line per record), so that
 * machines without qemu still check the softfloat module bit for bit.
 *
 * @module
 */

/** The seed of the recorded set. */
export const RECORDED_SEED = 1;
/** Records per operation in the recorded set. */
export const RECORDED_PER_OP = 400;

const FILE = new URL("./expected_seed1.txt.gz", import.meta.url);

/** Reads the recorded qemu-riscv32 output lines. */
export async function readRecorded(): Promise<string[]> {
  const bytes = await Deno.readFile(FILE);
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const lines = text.split("\n");
  lines.pop();
  return lines;
}

/** Writes the recorded output lines (atomically: a temporary file, then a rename). */
export async function writeRecorded(lines: readonly string[]): Promise<void> {
  const gz = await new Response(
    new Blob([lines.join("\n") + "\n"]).stream().pipeThrough(
      new CompressionStream("gzip"),
    ),
  ).arrayBuffer();
  const tmp = FILE.pathname + ".tmp";
  await Deno.writeFile(tmp, new Uint8Array(gz));
  await Deno.rename(tmp, FILE);
}
