/* Numbers and times for people, in the page's language (<html lang>).
 *
 * Twin.readNumber(text, field) reads a number as the user meant it, with the
 * rules of twin/locale_numbers.py: the page's convention first ("1,5" is 1.5
 * and "1.234,5" is 1234.5 in Vietnamese), then the other one ("1.5"), spaces
 * as grouping; one separator before exactly three digits ("1.500") is
 * ambiguous and refused with a message naming the field.  Forms send the
 * number it returns, never the text, so the server never guesses.
 *
 * Twin.fmt formats numbers, counts, lengths, areas, money, percentages and
 * times with Intl, in the page's language and the Asia/Ho_Chi_Minh time zone.
 */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  const TIME_ZONE = "Asia/Ho_Chi_Minh";
  const CONVENTIONS = { vi: { decimal: ",", group: "." }, en: { decimal: ".", group: "," } };
  const AMBIGUOUS = /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/;
  const SPACED = /^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/;
  const MACHINE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const MESSAGES = {
    vi: {
      ambiguous: "{field}: “{text}” có thể hiểu hai cách — viết {whole} hoặc {fraction}.",
      not_number: "{field}: “{text}” không phải là số.",
    },
    en: {
      ambiguous: "{field}: “{text}” can be read two ways — write {whole} or {fraction}.",
      not_number: "{field}: “{text}” is not a number.",
    },
  };

  Twin.language = function () {
    const lang = (document.documentElement.lang || "vi").slice(0, 2).toLowerCase();
    return lang === "en" ? "en" : "vi";
  };

  Twin.localeTag = function () {
    return Twin.language() === "vi" ? "vi-VN" : "en-GB";
  };

  function message(key, values) {
    let text = MESSAGES[Twin.language()][key];
    Object.entries(values).forEach(([name, value]) => {
      text = text.split("{" + name + "}").join(String(value));
    });
    return text;
  }

  function strict(text, convention) {
    const { decimal, group } = CONVENTIONS[convention];
    const esc = (c) => "\\" + c;
    const pattern = new RegExp("^[+-]?(\\d{1,3}(" + esc(group) + "\\d{3})+|\\d+)(" +
      esc(decimal) + "\\d+)?$");
    if (!pattern.test(text)) return null;
    return Number(text.split(group).join("").replace(decimal, "."));
  }

  /* The error of a number the user typed; `message` names the field. */
  class NumberError extends Error {}
  Twin.NumberError = NumberError;

  /* The number `text` means on this page; throws Twin.NumberError. */
  Twin.readNumber = function (text, field) {
    let s = String(text).trim();
    const values = { field: field || "", text: s };
    if (AMBIGUOUS.test(s)) {
      values.whole = s.replace(/[.,]/g, "");
      const fraction = s.replace(/[.,]/, ".").replace(/\.?0+$/, "");
      values.fraction = Twin.language() === "vi" ? fraction.replace(".", ",") : fraction;
      throw new NumberError(message("ambiguous", values));
    }
    if (SPACED.test(s)) s = s.replace(/[ \u00a0\u202f]/g, "");
    const order = Twin.language() === "vi" ? ["vi", "en"] : ["en", "vi"];
    let value = null;
    for (const convention of order) {
      value = value ?? strict(s, convention);
    }
    if (value === null && MACHINE.test(s)) value = Number(s);
    if (value === null || !Number.isFinite(value)) {
      throw new NumberError(message("not_number", values));
    }
    return value;
  };

  function number(value, options) {
    return new Intl.NumberFormat(Twin.localeTag(), options).format(value);
  }

  Twin.fmt = {
    /* A measured number, at most `digits` decimals (1 by default). */
    number(value, digits) { return number(value, { maximumFractionDigits: digits ?? 1 }); },
    /* A number as typed into a form: no grouping, the page's decimal sign. */
    plain(value) { return number(value, { useGrouping: false, maximumFractionDigits: 10 }); },
    /* A count: a whole number, never "92.0". */
    count(value) { return number(Math.round(value), { maximumFractionDigits: 0 }); },
    /* A length in metres, shown in m or km. */
    length(metres) {
      return Math.abs(metres) >= 1000
        ? number(metres / 1000, { maximumFractionDigits: 2 }) + " km"
        : number(metres, { maximumFractionDigits: 1 }) + " m";
    },
    /* An area in square metres, shown in m², ha or km² by its size. */
    area(m2) {
      const a = Math.abs(m2);
      if (a >= 1e6) return number(m2 / 1e6, { maximumFractionDigits: 2 }) + " km²";
      if (a >= 1e4) return number(m2 / 1e4, { maximumFractionDigits: 2 }) + " ha";
      return number(m2, { maximumFractionDigits: 0 }) + " m²";
    },
    money(vnd) {
      return number(vnd, { style: "currency", currency: "VND", maximumFractionDigits: 0 });
    },
    /* A share (0.25) as a percentage (25 %). */
    percent(share, digits) {
      return number(share, { style: "percent", maximumFractionDigits: digits ?? 1 });
    },
    /* A time (ISO text or Date) in Vietnam's time zone, with its offset. */
    datetime(value) {
      const when = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(when.getTime())) return String(value ?? "");
      return new Intl.DateTimeFormat(Twin.localeTag(), {
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        timeZone: TIME_ZONE,
      }).format(when);
    },
    date(value) {
      const when = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(when.getTime())) return String(value ?? "");
      return new Intl.DateTimeFormat(Twin.localeTag(), {
        year: "numeric", month: "2-digit", day: "2-digit", timeZone: TIME_ZONE,
      }).format(when);
    },
  };
})(window.Twin);
