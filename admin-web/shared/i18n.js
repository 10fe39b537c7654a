// The apps' string lookup: each app keeps its own table, Korean first; a key missing in another
// language falls back to Korean, and {name} placeholders are filled from the values given.
export function translator(strings) {
  return (lang, key, values = {}) => {
    const text = (strings[lang] && strings[lang][key]) || strings.ko[key] || key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  };
}
