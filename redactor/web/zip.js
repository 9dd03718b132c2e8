/* A minimal ZIP writer: stored entries (no compression; the images and PDFs are compressed already), UTF-8 names.
   RedactorZip.makeZip([{name, blob, date?}]) -> Promise<Blob>. Up to 65,535 entries and 4 GiB (no ZIP64). */
(function () {
  'use strict';

  const CRC_TABLE = (function () {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    let crc = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function dosTime(date) {
    const year = Math.max(1980, date.getFullYear());
    return {
      time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
      date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    };
  }

  async function makeZip(entries) {
    if (entries.length > 0xffff) throw new Error('Too many files for one zip.');
    const encoder = new TextEncoder();
    const parts = [];
    const central = [];
    let offset = 0;
    for (const entry of entries) {
      const name = encoder.encode(entry.name);
      const data = new Uint8Array(await entry.blob.arrayBuffer());
      if (data.length > 0xfffffffe || offset > 0xfffffffe) throw new Error('Files too large for one zip.');
      const crc = crc32(data);
      const stamp = dosTime(entry.date || new Date());

      const local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true); // local file header signature
      local.setUint16(4, 20, true); // version needed
      local.setUint16(6, 0x0800, true); // flags: names are UTF-8
      local.setUint16(8, 0, true); // method: stored
      local.setUint16(10, stamp.time, true);
      local.setUint16(12, stamp.date, true);
      local.setUint32(14, crc, true);
      local.setUint32(18, data.length, true); // compressed size
      local.setUint32(22, data.length, true); // uncompressed size
      local.setUint16(26, name.length, true);
      local.setUint16(28, 0, true); // extra field length
      parts.push(local, name, data);

      const dir = new DataView(new ArrayBuffer(46));
      dir.setUint32(0, 0x02014b50, true); // central directory header signature
      dir.setUint16(4, 20, true); // version made by
      dir.setUint16(6, 20, true); // version needed
      dir.setUint16(8, 0x0800, true);
      dir.setUint16(10, 0, true);
      dir.setUint16(12, stamp.time, true);
      dir.setUint16(14, stamp.date, true);
      dir.setUint32(16, crc, true);
      dir.setUint32(20, data.length, true);
      dir.setUint32(24, data.length, true);
      dir.setUint16(28, name.length, true);
      // extra, comment, disk number, internal attributes, external attributes: all 0
      dir.setUint32(42, offset, true); // offset of the local header
      central.push(dir, name);

      offset += 30 + name.length + data.length;
    }
    const centralSize = central.reduce((sum, part) => sum + part.byteLength, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true); // end of central directory signature
    end.setUint16(8, entries.length, true); // entries on this disk
    end.setUint16(10, entries.length, true); // entries in total
    end.setUint32(12, centralSize, true);
    end.setUint32(16, offset, true); // offset of the central directory
    return new Blob([...parts, ...central, end], { type: 'application/zip' });
  }

  /* Names unique within one zip: "a.png", "a (2).png", ... */
  function uniqueNames(names) {
    const seen = new Set();
    return names.map((name) => {
      let candidate = name;
      const dot = name.lastIndexOf('.');
      const stem = dot > 0 ? name.slice(0, dot) : name;
      const ext = dot > 0 ? name.slice(dot) : '';
      for (let n = 2; seen.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
      seen.add(candidate.toLowerCase());
      return candidate;
    });
  }

  window.RedactorZip = { makeZip, crc32, uniqueNames };
})();
