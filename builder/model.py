"""The site model: plain frozen data, built by the stages, read by the templates.

Paths inside the model are relative to the site root and '/'-separated; URLs are site-relative
paths without a leading slash ('cases/xizhai/'), turned into links only at render time, so that
the same model serves a domain root, a subpath and file:// output.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping


# --- site.yaml -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Action:
    """One of the programme's special actions (专项行动), declared in site.yaml."""
    name: str
    description: str
    slug: str


@dataclass(frozen=True, slots=True)
class NavItem:
    title: str          # '' for one of the site's own sections: the theme names it
    url: str  # site-relative path ('cases/') or an absolute http(s) URL


@dataclass(frozen=True, slots=True)
class Footer:
    organiser: str = ""       # 主办单位
    icp: str = ""             # ICP 备案号
    police_filing: str = ""   # 公安备案号
    site_code: str = ""       # 网站标识码
    text: str = ""


@dataclass(frozen=True, slots=True)
class ImageSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    quality: int = 82
    webp_quality: int = 80
    publish_originals: bool = False
    publish_unlisted: bool = False  # every photo in a folder is published, chosen or not
    share_image: str = ""     # site-relative path of the default share picture; after the images
                              # stage, the output path of the 1200x630 card made from it


@dataclass(frozen=True, slots=True)
class SearchSettings:
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    words: str = ""                       # path of a word list file, site-relative
    stages: tuple[str, ...] = ("初审", "复审", "终审")
    min_body_chars: int = 200
    max_photo_mb: float = 20.0
    stale_days: int = 730
    warnings: tuple[str, ...] = ()        # check rules the site turns from errors into warnings


# The kinds of model site, in the order /sites/ groups them (site.yaml `sites: kinds:` sets others).
DEFAULT_SITE_KINDS = ("村", "社区", "乡镇（街道）", "机关", "企业", "学校", "其他")


@dataclass(frozen=True, slots=True)
class ModelSiteSettings:
    """`sites:` in site.yaml: what the site calls its model sites, and their kinds."""
    label: str = ""           # shown for 示范点 everywhere ('' : the theme's own word)
    kinds: tuple[str, ...] = DEFAULT_SITE_KINDS     # allowed in `kind:`, in display order


@dataclass(frozen=True, slots=True)
class PublishTarget:
    """One place `showcase publish` puts the site (site.yaml `publish: targets:`). One class for
    every kind: each kind reads its own fields (see builder/publish/), the others stay empty.
    Never a secret: passwords and keys come from the environment or the terminal."""
    name: str                 # what `showcase publish NAME` calls it; also names its environment variables
    kind: str                 # 'folder' | 'zip' | 'sftp' | 'ftp' | 's3' (`type:` in site.yaml)
    line: int | None = None   # line of site.yaml where it is written
    path: str = ""            # folder, zip: a folder on this computer; sftp, ftp: the folder on the server
    url: str = ""             # the public address, when it is not base_url
    relative: bool = False    # folder, zip: a copy that works opened from disk
    filename: str = ""        # zip: the file name before the date (default: the site's title)
    host: str = ""            # sftp, ftp
    port: int = 0             # sftp, ftp: 0 for the protocol's own (22, 21)
    user: str = ""            # sftp, ftp
    host_key: str = ""        # sftp: the server's key fingerprint, 'SHA256:…'
    key: str = ""             # sftp: a private key file, instead of a password
    tls: bool = False         # ftp: FTPS (explicit TLS)
    ca_cert: str = ""         # ftp with tls: a certificate file to trust (a self-signed server)
    endpoint: str = ""        # s3: https://oss-cn-beijing.aliyuncs.com, http://127.0.0.1:9000 …
    bucket: str = ""          # s3
    prefix: str = ""          # s3: a folder inside the bucket, '' for its top
    region: str = ""          # s3
    addressing: str = "virtual"   # s3: 'virtual' (bucket.endpoint, Aliyun OSS) or 'path' (endpoint/bucket, MinIO)


@dataclass(frozen=True, slots=True)
class PublishSettings:
    require_review: bool = False
    targets: tuple[PublishTarget, ...] = ()


@dataclass(frozen=True, slots=True)
class BookletSettings:
    """site.yaml's booklet: the case collection in print (showcase booklet, the /booklet/ page)."""
    title: str = ""                   # '' : the site's title and the theme's word for a collection
    subtitle: str = ""
    organiser: str = ""               # '' : footer.organiser
    preface: str = ""                 # a page of content/pages/, by slug or file name
    group_by: str = "category"        # category | action | site
    month: dt.date | None = None      # the month on the cover (its first day); None: see booklet.groups
    lines: Mapping[str, int] = field(default_factory=dict)   # key -> line in site.yaml, for problems


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    base_url: str = "/"
    subtitle: str = ""
    description: str = ""
    language: str = "zh-CN"
    theme: str = "default"
    categories: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    nav: tuple[NavItem, ...] = ()
    footer: Footer = Footer()
    output_dir: str = "output"
    relative_urls: bool = False
    paginate: int = 20
    images: ImageSettings = ImageSettings()
    search: SearchSettings = SearchSettings()
    review: ReviewSettings = ReviewSettings()
    publish: PublishSettings = PublishSettings()
    sites: ModelSiteSettings = ModelSiteSettings()
    booklet: BookletSettings = BookletSettings()

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        from urllib.parse import urlsplit
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


# --- content ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendition:
    """One derived image file in the output."""
    path: str          # output path, site-relative
    width: int
    height: int
    format: str        # 'jpeg' | 'webp'


@dataclass(frozen=True, slots=True)
class Photo:
    src: str                    # source path, site-relative ('content/cases/x/photo-1.jpg')
    name: str                   # file name inside the bundle, as written in front matter
    caption: str = ""
    credit: str = ""
    listed: bool = True         # listed in front matter `photos:` (else found in the folder)
    line: int | None = None     # front matter line that lists it
    caption_line: int | None = None   # front matter line of its caption
    width: int = 0              # displayed size, after EXIF orientation
    height: int = 0
    chosen: bool = True         # listed, the cover, or shown in the body: published (else only
                                #   with images.publish_unlisted)
    renditions: tuple[Rendition, ...] = ()
    share: Rendition | None = None   # 1200x630 share card
    original: Rendition | None = None    # only with images.publish_originals; metadata removed

    def largest(self, fmt: str = "jpeg") -> Rendition | None:
        of_format = [r for r in self.renditions if r.format == fmt]
        return max(of_format, key=lambda r: r.width) if of_format else None

    def smallest(self, fmt: str = "jpeg") -> Rendition | None:
        of_format = [r for r in self.renditions if r.format == fmt]
        return min(of_format, key=lambda r: r.width) if of_format else None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """What every content file has: where it came from, its text, its rendered body."""
    source: str                            # site-relative path of the Markdown file
    slug: str
    title: str
    summary: str = ""
    body_md: str = ""
    body_html: str = ""
    body_line: int = 1                     # line of the file where the body starts
    toc: tuple[Heading, ...] = ()
    photos: tuple[Photo, ...] = ()
    cover: str = ""                        # photo name
    weight: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)   # front matter key -> line
    text_digest: str = ""                  # what a review approves of the file (gate/digest.py)
    unused_photos: tuple[str, ...] = ()    # photo files in the folder that are not published
    front_end: int = 1                     # line of the front matter's closing ---

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)

    @property
    def bundle_dir(self) -> str:
        return self.source.rsplit("/", 1)[0]

    def cover_photo(self) -> Photo | None:
        for photo in self.photos:
            if photo.name == self.cover:
                return photo
        return self.photos[0] if self.photos else None


@dataclass(frozen=True, slots=True)
class Review:
    stage: str
    by: str
    date: dt.date
    line: int | None = None
    digest: str = ""          # the review digest of the text the stage approved ('' if not recorded)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a case, model site or page stands on its way to the public site (gate/select.py)."""
    state: str                          # 'draft' | 'future' | 'waiting' | 'stale' | 'published'
    done: tuple[str, ...] = ()          # review stages that hold for the text as it is, in order
    waiting: str | None = None          # the review stage waited for (None: review complete)
    fell_back_from: str | None = None   # changed since this stage was recorded: its review is stale
    digest: str = ""                    # the review digest of the item as it is now

    @property
    def held_back(self) -> bool:
        return self.state != "published"

    @property
    def stale(self) -> bool:
        return self.fell_back_from is not None


class _Published:
    """What a case, a model site and a page share: a document, hence a slug and a title, and
    the fields that decide whether it is published (draft, reviews)."""
    __slots__ = ()
    SECTION = ""
    KIND = ""

    @property
    def slug(self) -> str:
        return self.doc.slug

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def url(self) -> str:
        return f"{self.SECTION}/{self.doc.slug}/"


@dataclass(frozen=True, slots=True)
class Case(_Published):
    """One showcase case (典型案例)."""
    SECTION = "cases"
    KIND = "case"
    doc: Document
    site: str                               # model site slug
    date: dt.date
    category: str
    actions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False
    featured: bool = False
    citation: str = ""                      # 来源 (`source:`): where the text comes from, e.g. a report's title, paper, date, byline
    unit: str = ""                          # 报送单位 (`unit:`): the unit that submitted the case
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelSite(_Published):
    """A demonstration site (示范点): a village, community, office, enterprise…"""
    SECTION = "sites"
    KIND = "site"
    doc: Document
    kind: str
    town: str = ""
    draft: bool = False
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True, slots=True)
class Page(_Published):
    """A free page, such as the programme overview."""
    SECTION = "pages"
    KIND = "page"
    doc: Document
    draft: bool = False
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True, slots=True)
class Content:
    """Everything read from content/: the output of stage 2."""
    cases: tuple[Case, ...] = ()
    sites: tuple[ModelSite, ...] = ()
    pages: tuple[Page, ...] = ()


# --- assembled -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """One value of a taxonomy (a category, action, tag or town) and its cases."""
    taxonomy: str          # 'categories' | 'actions' | 'tags' | 'towns'
    name: str
    slug: str
    cases: tuple[Case, ...]
    description: str = ""

    @property
    def url(self) -> str:
        return f"{self.taxonomy}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Stage 3's result: everything the templates need, cross-referenced."""
    site: Site
    cases: tuple[Case, ...]                       # published, newest first
    sites: tuple[ModelSite, ...]                  # by weight, then title
    pages: tuple[Page, ...]
    taxonomies: Mapping[str, tuple[Term, ...]]    # 'categories' -> terms, …
    cases_by_site: Mapping[str, tuple[Case, ...]]
    sites_by_slug: Mapping[str, ModelSite]
    held_back: tuple[Case | ModelSite | Page, ...] = ()   # drafts, future, unreviewed: left out
    standing: Mapping[str, Standing] = field(default_factory=dict)   # doc.source -> its standing
    preview: bool = False                         # `serve`, build --drafts/--future: held-back items shown, marked
    today: dt.date | None = None                  # set by `serve`: cases dated later are marked as scheduled
    search_version: str = ""                      # digest of the search index files, for their URLs

    def standing_of(self, item: Case | ModelSite | Page) -> Standing:
        return self.standing.get(item.doc.source) or Standing("published")

    def term(self, taxonomy: str, name: str) -> Term | None:
        for term in self.taxonomies.get(taxonomy, ()):
            if term.name == name:
                return term
        return None
