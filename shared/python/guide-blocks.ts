/**
 * The fenced Python blocks of a Markdown document (the guide), each with the heading it sits
 * under and the line it starts on, so import problems can be shown at the guide's own lines.
 */

export interface GuideBlock {
  /** Text of the nearest heading above the block (`Basic Usage`, `4. Handle Rollbacks`). */
  heading: string;
  /** Headings from the top level down to `heading`. */
  headings: string[];
  /** 1-based line of the block's first code line in the document. */
  line: number;
  code: string;
}

/** Every ```python (or ```py) block, in document order; fence indentation is removed from the code. */
export function pythonBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: GuideBlock[] = [];
  const path: { level: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, text: heading[2]! });
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (!fence) continue;
    const [, indent = '', marker = '', info = ''] = fence;
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(marker) && l.trim().replace(/[`~]/g, '') === '');
    const close = end < 0 ? lines.length : end;
    if (info === 'python' || info === 'py') {
      const code = lines
        .slice(i + 1, close)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
        .join('\n');
      blocks.push({
        heading: path[path.length - 1]?.text ?? '',
        headings: path.map((p) => p.text),
        line: i + 2,
        code: `${code}\n`,
      });
    }
    i = close;
  }
  return blocks;
}
