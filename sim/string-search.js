/**
 * String search of the Espruino 2v29 interpreter, where it differs from JavaScript (measured on the real 2v29 built
 * for Linux: `"abc".indexOf("cd")` is 2 there, -1 in JavaScript).
 *
 * Espruino's src/jswrap_string.c `jswrap_string_indexOf` (non-SAVE_ON_FLASH builds, such as the Original's) walks
 * every start index up to the END of the string, not to length - needle length, and compares with
 * `jsvCompareStringIt(..., equalAtEndOfString = true)` (src/jsvariterator.c): running out of either string counts
 * as equal. So a needle matches wherever the rest of the string is a prefix of it: `",addr,".indexOf(",bogus,")` is
 * 5 (the last ","), `"hello".indexOf("lox")` is 3. A needle longer than the whole string is -1, and `"".indexOf("")`
 * is -1 (the loop never runs). `includes()` is `indexOf() >= 0`, so it has the same fault. lastIndexOf is bounded
 * correctly. SAVE_ON_FLASH builds take the bounded loop (correct results) and have no `includes`.
 *
 * Installed into each board context by sim/espruino.js, so code that relies on JavaScript's indexOf fails in the
 * virtual board as it does on the Original.
 */

/** Source run in the board's context: replaces String.prototype.indexOf and includes with 2v29's. */
export const STRING_SEARCH_2V29 = `(function () {
  var jsIndexOf = String.prototype.indexOf;
  function indexOf(needle, fromIndex) {
    var s = String(this), n = String(needle), i = 0;
    if (n.length > s.length) return -1;
    if (typeof fromIndex == "number" && fromIndex === fromIndex) i = Math.min(Math.max(Math.floor(fromIndex), 0), s.length - n.length + 1);
    for (; i < s.length; i++) {
      // equal until one of them ends (equalAtEndOfString)
      var rest = s.length - i;
      if (rest >= n.length ? jsIndexOf.call(s, n, i) === i : jsIndexOf.call(n, s.slice(i)) === 0) return i;
    }
    return -1;
  }
  Object.defineProperty(String.prototype, "indexOf", { value: indexOf, writable: true, configurable: true });
  Object.defineProperty(String.prototype, "includes", { value: function includes(needle, fromIndex) {
    return indexOf.call(this, needle, fromIndex) >= 0;
  }, writable: true, configurable: true });
})();`;

/** Source run in a SAVE_ON_FLASH board's context: no String.prototype.includes (its JSON entry is "ifndef"). */
export const STRING_SEARCH_SAVE_ON_FLASH = `delete String.prototype.includes;`;
