{{%AUTOESCAPE context="HTML"}}
{{!Inside <head> on every page: metadata, stylesheet, search manifest, JSON-LD.}}
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
{{#HAS_LOGO}}
<link rel="icon" href="{{LOGO_URL}}">
{{/HAS_LOGO}}
<link rel="stylesheet" href="{{ASSET_STYLE_CSS}}">
<meta name="helpgen:search" content="{{SEARCH_INDEX}}">
{{JSONLD:none}}
