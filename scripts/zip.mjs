// A minimal ZIP writer (deflated or stored members, UTF-8 names, fixed times) for the support-bundle
// fixtures and the browser tests that need archives too large to commit.
import { deflateRawSync, crc32 } from 'node:zlib';

/** `members`: `[path, content, {stored, flags}]`; a path ending in '/' is a folder. */
export function zip(members) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, content, { stored = false, flags = 0 } = {}] of members) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const folder = name.endsWith('/');
    const body = folder || stored ? data : deflateRawSync(data, { level: 9 });
    const method = folder || stored ? 0 : 8;
    const nameBytes = Buffer.from(name, 'utf8');
    const fields = (header) => {
      header.writeUInt16LE(20, 0); // version needed
      header.writeUInt16LE(flags | 0x0800, 2); // UTF-8 names
      header.writeUInt16LE(method, 4);
      header.writeUInt16LE(0x6000, 6); // 12:00:00
      header.writeUInt16LE(0x5b7a, 8); // 2025-11-26
      header.writeUInt32LE(crc32(data), 10);
      header.writeUInt32LE(body.length, 14);
      header.writeUInt32LE(data.length, 18);
      header.writeUInt16LE(nameBytes.length, 22);
      header.writeUInt16LE(0, 24);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local.subarray(4));
    locals.push(local, nameBytes, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    fields(entry.subarray(6));
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
