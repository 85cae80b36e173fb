/* A map vector tile (MVT) read and painted on a 2D canvas in one pass.
 *
 *   TwinTiles.paint(ctx, bytes, styles, zoom, size, ratio)
 *
 * `bytes` is one tile of /map/tiles/z/x/y.mvt (one MVT layer per feature
 * type, areas first, points last); `styles` maps a table to its entry of
 * /map/layers.json ({geometry, min_zoom, style}).  Features are read
 * straight from the protocol buffer into one path per look (colour, width,
 * dash, opacity) and each path is stroked or filled once, instead of one
 * object and one stroke per feature: the densest tile holds thousands.
 * Pale lines get a grey casing, planned lines are dashed, abandoned
 * features faded, as the declarations say (docs/map.md).
 *
 * Used by the canvas renderer (canvas.js); it needs nothing of the page, so
 * it could run in a worker on an OffscreenCanvas as well.
 */
"use strict";

(function (scope) {
  const CASING = "#a7a39b";
  const PALE = 0.75;
  const FADED = 0.45;
  const POINT_EDGE = "#333333";
  const DASH = [6, 4];
  const MOVE_TO = 1;
  const LINE_TO = 2;
  const CLOSE_PATH = 7;
  const POINT = 1;
  const LINE = 2;
  const AREA = 3;
  const utf8 = new TextDecoder();

  /* -- protocol buffers: the few wire types MVT uses ------------------------------------ */

  function varint(r) {
    const b = r.bytes;
    let byte = b[r.pos++];
    let value = byte & 0x7f;
    let factor = 128;
    while (byte >= 0x80) {
      byte = b[r.pos++];
      value += (byte & 0x7f) * factor;
      factor *= 128;
    }
    return value;
  }

  function zigzag(n) {
    return n % 2 ? -(n + 1) / 2 : n / 2;
  }

  function skip(r, wire) {
    if (wire === 0) varint(r);
    else if (wire === 1) r.pos += 8;
    else if (wire === 2) r.pos += varint(r);
    else if (wire === 5) r.pos += 4;
    else throw new Error("unknown protocol buffer wire type " + wire);
  }

  function readValue(r, end) {
    let value = null;
    while (r.pos < end) {
      const key = varint(r);
      const field = key >> 3;
      if (field === 1) {
        const length = varint(r);
        value = utf8.decode(r.bytes.subarray(r.pos, r.pos + length));
        r.pos += length;
      } else if (field === 2) {
        value = r.view.getFloat32(r.pos, true);
        r.pos += 4;
      } else if (field === 3) {
        value = r.view.getFloat64(r.pos, true);
        r.pos += 8;
      } else if (field === 4 || field === 5) value = varint(r);
      else if (field === 6) value = zigzag(varint(r));
      else if (field === 7) value = varint(r) === 1;
      else skip(r, key & 7);
    }
    return value;
  }

  /* A layer's name, keys, values, extent and the byte ranges of its features. */
  function readLayer(r, end) {
    const layer = { name: "", keys: [], values: [], extent: 4096, features: [] };
    while (r.pos < end) {
      const key = varint(r);
      const field = key >> 3;
      if (field === 1 || field === 3) {
        const length = varint(r);
        const text = utf8.decode(r.bytes.subarray(r.pos, r.pos + length));
        r.pos += length;
        if (field === 1) layer.name = text;
        else layer.keys.push(text);
      } else if (field === 2) {
        const length = varint(r);
        layer.features.push(r.pos, r.pos + length);
        r.pos += length;
      } else if (field === 4) {
        const length = varint(r);
        layer.values.push(readValue(r, r.pos + length));
      } else if (field === 5) layer.extent = varint(r);
      else skip(r, key & 7);
    }
    return layer;
  }

  /* A feature's type, the range of its geometry and its attributes of interest. */
  function readFeature(r, end, layer, wanted, out) {
    out.type = 0;
    out.by = null;
    out.status = null;
    while (r.pos < end) {
      const key = varint(r);
      const field = key >> 3;
      if (field === 2) {
        const tagsEnd = varint(r) + r.pos;
        while (r.pos < tagsEnd) {
          const name = layer.keys[varint(r)];
          const value = layer.values[varint(r)];
          if (name === wanted) out.by = value;
          if (name === "status") out.status = value;
        }
      } else if (field === 3) out.type = varint(r);
      else if (field === 4) {
        const length = varint(r);
        out.start = r.pos;
        out.end = r.pos + length;
        r.pos += length;
      } else skip(r, key & 7);
    }
    return out;
  }

  /* Add a feature's geometry to `path`: rings and lines as they are, points as circles. */
  function trace(r, feature, path, scale, radius) {
    r.pos = feature.start;
    let x = 0;
    let y = 0;
    let command = 0;
    let count = 0;
    while (r.pos < feature.end) {
      if (!count) {
        const word = varint(r);
        command = word & 7;
        count = word >> 3;
        if (command === CLOSE_PATH) {
          path.closePath();
          count = 0;
          continue;
        }
      }
      count -= 1;
      x += zigzag(varint(r));
      y += zigzag(varint(r));
      const px = x * scale;
      const py = y * scale;
      if (feature.type === POINT) {
        path.moveTo(px + radius, py);
        path.arc(px, py, radius, 0, 2 * Math.PI);
      } else if (command === MOVE_TO) path.moveTo(px, py);
      else if (command === LINE_TO) path.lineTo(px, py);
    }
  }

  /* -- looks: the declared style of one feature -------------------------------------- */

  const lightnessOf = new Map();
  function lightness(hex) {
    if (!lightnessOf.has(hex)) {
      const n = parseInt(hex.slice(1), 16);
      lightnessOf.set(hex, (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255)
        + 0.114 * (n & 255)) / 255);
    }
    return lightnessOf.get(hex);
  }

  function classIndex(breaks, value) {
    const i = breaks.findIndex((b) => value <= b);
    return i < 0 ? breaks.length - 1 : i;
  }

  /* {color, width, dashed, opacity} of a feature, as canvas.js declared them before. */
  function lookOf(type, feature) {
    const s = type.style;
    let color = s.color;
    let width = s.weight;
    if (s.by && feature.by !== null) {
      if (s.colors[feature.by]) color = s.colors[feature.by];
      if (s.breaks.length) {
        const widths = s.widths.length ? s.widths : s.breaks.map(() => s.weight);
        width = widths[classIndex(s.breaks, Number(feature.by))];
      }
    }
    const faded = feature.status === "abandoned" ? FADED : 1;
    return { color, width, dashed: feature.status === "planned", faded };
  }

  /* The group (one path, one look) a feature joins, made on first use. */
  function groupOf(groups, key, make) {
    let group = groups.get(key);
    if (!group) {
      group = make();
      group.path = new Path2D();
      groups.set(key, group);
    }
    return group;
  }

  function drawGroup(ctx, geometry, g) {
    if (geometry === POINT) {
      ctx.globalAlpha = 0.95 * g.faded;
      ctx.fillStyle = g.color;
      ctx.fill(g.path);
      ctx.globalAlpha = g.faded;
      ctx.lineWidth = 0.6;
      ctx.strokeStyle = POINT_EDGE;
      ctx.stroke(g.path);
      return;
    }
    if (geometry === AREA && g.fill > 0) {
      ctx.globalAlpha = g.fill;
      ctx.fillStyle = g.color;
      ctx.fill(g.path);
    }
    ctx.globalAlpha = geometry === LINE ? 0.95 * g.faded : g.faded;
    ctx.setLineDash(g.dashed ? DASH : []);
    ctx.lineWidth = g.width;
    ctx.strokeStyle = g.color;
    ctx.stroke(g.path);
  }

  /* Paint one MVT layer (one feature type) with its declared look. */
  function paintLayer(ctx, r, layer, type, size) {
    const scale = size / layer.extent;
    const casings = new Map();
    const groups = new Map();
    const feature = {};
    const wanted = type.style.by;
    let geometry = 0;
    for (let i = 0; i < layer.features.length; i += 2) {
      r.pos = layer.features[i];
      readFeature(r, layer.features[i + 1], layer, wanted, feature);
      if (!feature.type || feature.end === undefined) continue;
      geometry = feature.type;
      const look = lookOf(type, feature);
      const key = look.color + "|" + look.width + "|" + look.dashed + "|" + look.faded;
      const group = groupOf(groups, key, () => Object.assign(look,
        { fill: type.style.fill_opacity }));
      trace(r, feature, group.path, scale, type.style.radius);
      if (geometry === LINE && lightness(look.color) >= PALE) {
        const casing = groupOf(casings, look.width + "|" + look.faded, () => (
          { color: CASING, width: look.width + 2, dashed: false, faded: look.faded }));
        trace(r, feature, casing.path, scale, 0);
      }
      feature.end = undefined;
    }
    casings.forEach((g) => drawGroup(ctx, LINE, g));
    groups.forEach((g) => drawGroup(ctx, geometry, g));
  }

  /* Paint a whole tile; layers in the order the tile holds them (areas first). */
  function paint(ctx, bytes, styles, zoom, size, ratio) {
    const r = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      pos: 0 };
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    while (r.pos < bytes.length) {
      const key = varint(r);
      if (key >> 3 !== 3) {
        skip(r, key & 7);
        continue;
      }
      const end = varint(r) + r.pos;
      const layer = readLayer(r, end);
      const type = styles[layer.name];
      if (type && zoom >= type.min_zoom) paintLayer(ctx, r, layer, type, size);
      r.pos = end;
    }
    ctx.globalAlpha = 1;
  }

  scope.TwinTiles = { paint };
})(self);
