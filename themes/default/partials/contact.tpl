{{%AUTOESCAPE context="HTML"}}
{{!"Still need help?" - the way to a person, at the end of every page that has contact details.}}
{{!ctemplate rewrites a URL attribute that starts with "mailto:" or "tel:" from a variable to "#", so the}}
{{!scheme is written here and only the address or number comes from a variable.}}
{{#HAS_CONTACT}}
<section class="hg-wrap hg-contact-wrap" aria-labelledby="hg-contact-title">
<div class="hg-contact">
<h2 id="hg-contact-title">{{T_STILL_NEED_HELP}}</h2>
<p>{{T_CONTACT_INTRO}}</p>
<ul>
{{#CONTACT_URL_S}}
<li><a class="hg-button" href="{{CONTACT_URL}}">{{CONTACT_LABEL}}</a></li>
{{/CONTACT_URL_S}}
{{#CONTACT_EMAIL_S}}
<li><a class="hg-contact-link" href="mailto:{{CONTACT_EMAIL}}"><svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path d="M3 5h18v14H3z M3 6l9 7 9-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>{{CONTACT_EMAIL}}</a></li>
{{/CONTACT_EMAIL_S}}
{{#CONTACT_PHONE_S}}
<li><a class="hg-contact-link hg-tel" href="tel:{{CONTACT_TEL_NUMBER}}"><svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>{{CONTACT_PHONE}}</a></li>
{{/CONTACT_PHONE_S}}
</ul>
</div>
</section>
{{/HAS_CONTACT}}
