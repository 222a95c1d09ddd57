/**
 * A small markdown renderer for sticky notes: headings, paragraphs, bullet and numbered lists,
 * fenced code, inline code, bold, italics and links. It builds React elements, never HTML text,
 * so markup in a note (`<img onerror=...>`) shows as the characters typed. Links show their text
 * with the address in the tooltip; they do not navigate (the window allows no navigation).
 */
import type { ReactNode } from 'react';

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

/** Inline markup of one line or paragraph. */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let key = 0;
  for (let m = INLINE.exec(rest); m; m = INLINE.exec(rest)) {
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const token = m[0];
    if (m[1]) out.push(<code key={key++}>{token.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={key++}>{inline(token.slice(2, -2))}</strong>);
    else if (m[3]) out.push(<em key={key++}>{inline(token.slice(1, -1))}</em>);
    else {
      const close = token.indexOf('](');
      out.push(
        <span key={key++} className="md-link" title={token.slice(close + 2, -1)}>
          {inline(token.slice(1, close))}
        </span>,
      );
    }
    rest = rest.slice(m.index + token.length);
  }
  if (rest) out.push(rest);
  return out;
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** The blocks of a markdown text, in order. */
export function blocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith('```'); i++) body.push(lines[i]!);
      out.push({ kind: 'code', text: body.join('\n') });
      i++;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      out.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item) {
      const ordered = !BULLET.test(line);
      const items: string[] = [];
      for (
        let m: RegExpExecArray | null = item;
        m && i < lines.length;
        m = (ordered ? NUMBERED : BULLET).exec(lines[i] ?? '')
      ) {
        items.push(m[1]!);
        i++;
      }
      out.push({ kind: 'list', ordered, items });
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!); i++) para.push(lines[i]!.trim());
    out.push({ kind: 'paragraph', text: para.join(' ') });
  }
  return out;
}

function startsBlock(line: string): boolean {
  return line.trimStart().startsWith('```') || /^#{1,3}\s/.test(line) || BULLET.test(line) || NUMBERED.test(line);
}

export function Markdown({ text }: { text: string }) {
  return (
    <>
      {blocks(text).map((b, i) => {
        switch (b.kind) {
          case 'heading':
            return b.level === 1 ? (
              <h3 key={i}>{inline(b.text)}</h3>
            ) : b.level === 2 ? (
              <h4 key={i}>{inline(b.text)}</h4>
            ) : (
              <h5 key={i}>{inline(b.text)}</h5>
            );
          case 'paragraph':
            return <p key={i}>{inline(b.text)}</p>;
          case 'code':
            return (
              <pre key={i}>
                <code>{b.text}</code>
              </pre>
            );
          case 'list': {
            const items = b.items.map((t, j) => <li key={j}>{inline(t)}</li>);
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
        }
      })}
    </>
  );
}
