import { inflateSync } from 'node:zlib';

/**
 * Reading PDFs back in tests (receipts, 催缴通知书, the quality report).
 */
// The text is found the way a viewer finds it: the glyph ids of the page content decoded through the ToUnicode
// CMap of the font in use. So a passing test proves both that the glyphs are drawn and that they are mapped.

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const streamAt = text.indexOf('stream\n', start);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(match[1]), { dict: text.slice(start, end) });
      continue;
    }
    const dict = text.slice(start, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = pdf.subarray(streamAt + 7, streamAt + 7 + length);
    objects.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
    header.lastIndex = streamAt + 7 + length;
  }
  return objects;
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
    const first = Number.parseInt(range[1], 16);
    [...range[2].matchAll(/<([0-9a-f ]+)>/gi)].forEach((entry, i) => {
      const units = entry[1].split(' ').map((hex) => Number.parseInt(hex, 16));
      map.set(first + i, String.fromCharCode(...units));
    });
  }
  return map;
}

/** The text of each page, one line per text-showing operator. */
export function pdfText(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const all = [...objects.values()].map((o) => o.dict).join('\n');
  const fonts = new Map<string, Map<number, string>>();
  for (const [, name, ref] of all.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(Number(ref))?.dict ?? '');
    if (toUnicode) fonts.set(name, parseToUnicode(objects.get(Number(toUnicode[1]))!.stream!.toString('latin1')));
  }
  const catalogPages = /\/Kids \[([^\]]*)\]/.exec(all)![1];
  return [...catalogPages.matchAll(/(\d+) 0 R/g)].map(([, page]) => {
    const contents = /\/Contents (\d+) 0 R/.exec(objects.get(Number(page))!.dict)![1];
    const ops = objects.get(Number(contents))!.stream!.toString('latin1');
    let font = new Map<number, string>();
    const lines: string[] = [];
    for (const op of ops.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) {
        font = fonts.get(op[1]) ?? new Map();
        continue;
      }
      const hex = [...op[2].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]).join('');
      const glyphs = hex.match(/.{4}/g) ?? [];
      lines.push(glyphs.map((g) => font.get(Number.parseInt(g, 16)) ?? '\uFFFD').join(''));
    }
    return lines.join('\n');
  });
}
