/**
 * Markdown panels. markdown-it with raw HTML disabled escapes every tag in the source (`<script>`
 * prints as text) and refuses `javascript:`/`vbscript:`/`file:` links; linkify and typographer stay
 * off so the output is exactly what the author wrote.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

/** Markdown text as safe HTML. */
export function markdownHtml(source: string): string {
  return md.render(source);
}
