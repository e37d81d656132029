{{%AUTOESCAPE context="HTML"}}
{{!Inside <head> on every page: metadata, stylesheet, feeds, hreflang alternates, search manifest, JSON-LD.}}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{#NOT_HOME}}{{PAGE_TITLE}} – {{/NOT_HOME}}{{SITE_TITLE}}</title>
<meta name="description" content="{{PAGE_DESCRIPTION}}">
{{#HAS_CANONICAL}}
<link rel="canonical" href="{{CANONICAL_URL}}">
<meta property="og:url" content="{{CANONICAL_URL}}">
{{/HAS_CANONICAL}}
<meta property="og:site_name" content="{{SITE_TITLE}}">
<meta property="og:title" content="{{PAGE_TITLE}}">
<meta property="og:description" content="{{PAGE_DESCRIPTION}}">
<meta property="og:type" content="website">
<meta name="generator" content="{{GENERATOR}}">
<meta name="color-scheme" content="light dark">
{{#HAS_OG_IMAGE}}
<meta property="og:image" content="{{OG_IMAGE_URL}}">
<meta name="twitter:card" content="summary_large_image">
{{/HAS_OG_IMAGE}}
{{#HAS_FAVICON}}
<link rel="icon" href="{{FAVICON_URL}}">
{{/HAS_FAVICON}}
<link rel="stylesheet" href="{{ASSET_STYLE_CSS}}">
{{#HAS_BRAND}}
<style>{{BRAND_CSS:none}}</style>
{{/HAS_BRAND}}
{{#HAS_FEED}}
<link rel="alternate" type="application/atom+xml" title="{{SITE_TITLE}}" href="{{FEED_URL}}">
{{/HAS_FEED}}
{{#HAS_CATEGORY_FEED}}
<link rel="alternate" type="application/atom+xml" title="{{CATEGORY_FEED_TITLE}} – {{SITE_TITLE}}" href="{{CATEGORY_FEED_URL}}">
{{/HAS_CATEGORY_FEED}}
{{#HAS_ALTERNATES}}{{#ALTERNATES}}
<link rel="alternate" hreflang="{{ALT_LANG}}" href="{{ALT_URL}}">
{{/ALTERNATES}}{{/HAS_ALTERNATES}}
{{#HAS_MARKDOWN}}
<link rel="alternate" type="text/markdown" href="{{MARKDOWN_URL}}">
{{/HAS_MARKDOWN}}
<meta name="helpgen:search" content="{{SEARCH_INDEX}}">
{{JSONLD:none}}
