{{%AUTOESCAPE context="HTML"}}
{{!Skip link, logo and site title, site nav, the language switcher (the same page in each language, else that language's home), and the search form (home has its own big one). On small screens one row: the nav and the languages move into a menu (details: it opens without JavaScript), the search field stays in the row.}}
<a class="skip-link" href="#main">{{T_SKIP}}</a>
<header class="hg-header">
<div class="hg-header-inner">
<a class="hg-brand" href="{{HOME_URL}}">{{#HAS_LOGO}}<img class="hg-logo" src="{{LOGO_URL}}" alt=""{{#HAS_LOGO_SIZE}} width="{{LOGO_WIDTH}}" height="{{LOGO_HEIGHT}}"{{/HAS_LOGO_SIZE}}>{{/HAS_LOGO}}<span>{{SITE_TITLE}}</span></a>
<nav class="hg-nav hg-wide" aria-label="{{SITE_TITLE}}"><ul>{{#NAV}}<li><a href="{{NAV_URL}}">{{NAV_TITLE}}</a></li>{{/NAV}}</ul></nav>
{{#HAS_LANGUAGES}}
<nav class="hg-langs hg-wide" aria-label="{{T_LANGUAGE}}"><ul>{{#LANGUAGES}}<li><a href="{{LANG_URL}}" hreflang="{{LANG_CODE}}" lang="{{LANG_CODE}}"{{#LANG_CURRENT}} aria-current="true"{{/LANG_CURRENT}}>{{LANG_NAME}}</a></li>{{/LANGUAGES}}</ul></nav>
{{/HAS_LANGUAGES}}
{{#NOT_HOME}}
<form class="hg-search" role="search" action="{{SEARCH_URL}}" method="get">
<label for="hg-q-header" class="visually-hidden">{{T_SEARCH}}</label>
<input id="hg-q-header" type="search" name="q" placeholder="{{T_SEARCH_PLACEHOLDER}}" autocomplete="off" enterkeyhint="search">
<button type="submit">{{T_SEARCH}}</button>
</form>
{{/NOT_HOME}}
{{#HAS_MENU}}
<details class="hg-menu">
<summary><svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M4 6h16M4 12h16M4 18h16"/></svg><span>{{T_MENU}}</span></summary>
<div class="hg-menu-panel"><nav aria-label="{{T_MENU}}">
<ul class="hg-menu-nav">{{#NAV}}<li><a href="{{NAV_URL}}">{{NAV_TITLE}}</a></li>{{/NAV}}</ul>
{{#HAS_LANGUAGES}}
<ul class="hg-menu-langs">{{#LANGUAGES}}<li><a href="{{LANG_URL}}" hreflang="{{LANG_CODE}}" lang="{{LANG_CODE}}"{{#LANG_CURRENT}} aria-current="true"{{/LANG_CURRENT}}>{{LANG_NAME}}</a></li>{{/LANGUAGES}}</ul>
{{/HAS_LANGUAGES}}
</nav></div>
</details>
{{/HAS_MENU}}
</div>
</header>
