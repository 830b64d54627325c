// PostCSS for the dashboard: Tailwind CSS 3 (Tremor's styling; it finds tailwind.config.cjs in the
// working directory, which is web/ both locally and on Vercel) and vendor prefixes.
module.exports = {
  plugins: {
    tailwindcss: {},
    autoprefixer: {},
  },
};
