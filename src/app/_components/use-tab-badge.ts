'use client';
import { useEffect } from 'react';
import { badgedIcon, svgDataUrl, tabTitle } from '../../trpc/feed.ts';

const ICONS = 'link[rel~="icon"]';
const PLAIN = 'data-plain-href';
let plainSvg: Promise<string | null> | null = null;

/** The plain icon's SVG, fetched once from the link Next wrote (src/app/icon.svg). */
function iconSvg(href: string): Promise<string | null> {
  plainSvg ??= fetch(href)
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null);
  return plainSvg;
}

function setIcons(unread: number): void {
  const links = [...document.querySelectorAll<HTMLLinkElement>(ICONS)];
  for (const link of links) if (!link.hasAttribute(PLAIN)) link.setAttribute(PLAIN, link.getAttribute('href') ?? '');
  const plain = links[0]?.getAttribute(PLAIN);
  if (!plain) return;
  if (unread === 0) {
    for (const link of links) link.setAttribute('href', link.getAttribute(PLAIN) ?? plain);
    return;
  }
  void iconSvg(plain).then((svg) => {
    // The count may have changed while the icon was fetched: the last call wins.
    if (!svg || document.documentElement.dataset.unreadIcon !== String(unread)) return;
    for (const link of links) link.href = svgDataUrl(badgedIcon(svg, unread));
  });
}

/** "(3) Hearth" in the tab, and a badge on the favicon, while there are unread notifications. */
export function useTabBadge(unread: number): void {
  useEffect(() => {
    document.title = tabTitle(unread);
    document.documentElement.dataset.unreadIcon = String(unread);
    setIcons(unread);
  }, [unread]);
  useEffect(
    () => () => {
      document.title = tabTitle(0);
      document.documentElement.dataset.unreadIcon = '0';
      setIcons(0);
    },
    [],
  );
}
