/**
 * A colour per person for their name: the same on every page and reload (a
 * hash of the user id, not of the name anyone can change), one of twelve hues.
 * Each hue has a shade for the light theme and one for the dark: no single
 * colour reads at 4.5:1 on both white and near-black. Both shades meet 4.5:1
 * on the page, the sidebar and a hovered row of their theme (tested).
 */
export interface PersonColour {
  light: string;
  dark: string;
}

export const PALETTE: readonly PersonColour[] = [
  { light: '#c2255c', dark: '#faa2c1' },
  { light: '#9c36b5', dark: '#e599f7' },
  { light: '#6741d9', dark: '#b197fc' },
  { light: '#3b5bdb', dark: '#91a7ff' },
  { light: '#1864ab', dark: '#74c0fc' },
  { light: '#0b6e80', dark: '#66d9e8' },
  { light: '#086d4f', dark: '#63e6be' },
  { light: '#2b7a37', dark: '#8ce99a' },
  { light: '#c92a2a', dark: '#ffa8a8' },
  { light: '#b63d0a', dark: '#ffa94d' },
  { light: '#7a5f00', dark: '#ffd43b' },
  { light: '#4a7a0a', dark: '#a9e34b' },
];

/** FNV-1a over the id's UTF-16 units: cheap, and spreads UUIDs evenly. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const colourIndex = (userId: string): number => hash(userId) % PALETTE.length;
export const personColour = (userId: string): PersonColour => PALETTE[colourIndex(userId)]!;

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
